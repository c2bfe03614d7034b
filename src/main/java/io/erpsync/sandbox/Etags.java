package io.erpsync.sandbox;

/** If-Match comparison per RFC 9110 13.1.1: strong comparison, "*" matches any current version. */
final class Etags {
    private Etags() {
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    static boolean matches(String ifMatch, String current) {
        for (String candidate : ifMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                continue;
            }
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            if (c.equals(current)) {
                return true;
            }
        }
        return false;
    }
}
