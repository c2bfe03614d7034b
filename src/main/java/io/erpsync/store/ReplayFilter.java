package io.erpsync.store;

import io.erpsync.sync.FailureClass;

import java.util.Locale;

/**
 * Which OPEN exceptions a replay takes: {@code all}, {@code item=ITM-2847}, {@code class=RECORD_LOCKED},
 * or both joined by a comma.
 */
public record ReplayFilter(String itemNumber, String failureClass) {

    public static ReplayFilter parse(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("all")) {
            return new ReplayFilter(null, null);
        }
        String item = null;
        String fc = null;
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new IllegalArgumentException("replay filter '" + text + "': use all, item=<ItemNumber>, class=<failure class>");
            }
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "item" -> item = kv[1].trim();
                case "class" -> {
                    fc = kv[1].trim().toUpperCase(Locale.ROOT);
                    FailureClass.valueOf(fc);
                }
                default -> throw new IllegalArgumentException("replay filter '" + text + "': unknown key " + kv[0]
                        + "; use item=<ItemNumber> or class=<failure class>");
            }
        }
        return new ReplayFilter(item, fc);
    }
}
