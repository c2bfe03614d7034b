package io.erpsync.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The limits on text kept from the ERP and the WMS: messages, reasons and bodies are cut to 2 KB;
 * names (item numbers, organizations, lock owners) to their column's size.
 */
public final class Texts {
    public static final int LIMIT = 2048;

    private Texts() {
    }

    public static String cut(String s) {
        return cut(s, LIMIT);
    }

    public static String cut(String s, int limit) {
        return s == null || s.length() <= limit ? s : s.substring(0, limit);
    }

    /** An error and its causes in one line: "RuntimeCamelException: Cannot process result; caused by PSQLException: ..." */
    public static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = t; e != null && seen.add(e); e = e.getCause()) {
            b.append(b.length() == 0 ? "" : "; caused by ").append(e.getClass().getSimpleName());
            if (e.getMessage() != null) {
                b.append(": ").append(e.getMessage());
            }
        }
        return cut(b.toString());
    }
}
