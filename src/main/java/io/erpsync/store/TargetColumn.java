package io.erpsync.store;

import java.util.regex.Pattern;

/**
 * The target column of sync_run and sync_exception (V7__targets.sql): which configured target a row
 * is for. Names are settings (targets), checked here so that one may be written into a statement.
 */
public final class TargetColumn {
    /** The target of every row from before there were several, and of BOM rows. */
    public static final String ERP = "erp";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private TargetColumn() {
    }

    /** The name, checked: lower-case letters, digits and dashes, at most 32. */
    public static String check(String target) {
        if (target == null || !NAME.matcher(target).matches()) {
            throw new IllegalArgumentException("a target's name is lower-case letters, digits and dashes (at most 32), was '" + target + "'");
        }
        return target;
    }

    /** {@code AND target = 'name'}, for a statement over one target's rows. */
    static String and(String target) {
        return " AND target = '" + check(target) + "'";
    }
}
