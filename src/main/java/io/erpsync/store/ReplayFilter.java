package io.erpsync.store;

import io.erpsync.core.FailureClass;

import java.util.Locale;

/**
 * Which OPEN exceptions a replay takes: {@code all}, {@code id=42} (one row of the queue),
 * {@code item=ITM-2847}, {@code class=RECORD_LOCKED}, or several joined by commas (all must match).
 */
public record ReplayFilter(Long id, String itemNumber, String failureClass) {
    private static final String USE = "use all, id=<exception id>, item=<ItemNumber>, class=<failure class>";

    public static ReplayFilter parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) {
            return new ReplayFilter(null, null, null);
        }
        Long id = null;
        String item = null;
        String fc = null;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("replay filter '" + text + "': " + USE);
            }
            String value = kv[1].trim();
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "id" -> {
                    try {
                        id = Long.valueOf(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("replay filter '" + text + "': id must be a number");
                    }
                }
                case "item" -> item = value;
                case "class" -> {
                    fc = value.toUpperCase(Locale.ROOT);
                    try {
                        FailureClass.valueOf(fc);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("replay filter '" + text + "': no failure class " + value);
                    }
                }
                default -> throw new IllegalArgumentException("replay filter '" + text + "': unknown key " + kv[0] + "; " + USE);
            }
        }
        return new ReplayFilter(id, item, fc);
    }
}
