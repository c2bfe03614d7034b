package io.erpsync.core;

/** The one limit on text kept from the ERP and the WMS: messages, reasons and bodies are cut to 2 KB. */
public final class Texts {
    public static final int LIMIT = 2048;

    private Texts() {
    }

    public static String cut(String s) {
        return s == null || s.length() <= LIMIT ? s : s.substring(0, LIMIT);
    }
}
