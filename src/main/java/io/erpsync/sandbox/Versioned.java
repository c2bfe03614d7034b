package io.erpsync.sandbox;

import java.util.Map;

/** One version of one record of the sandbox (an item, a structure, a component); the ETag is derived from id and version. */
record Versioned(long id, Map<String, Object> fields, long version) {
    String etag() {
        // ACED0005, then id in 16 and version in 8 upper-case hex digits (String.format is slow on every read)
        StringBuilder b = new StringBuilder(32).append("ACED0005");
        hex(b, id, 16);
        hex(b, version, 8);
        return b.toString();
    }

    private static void hex(StringBuilder b, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b.append(Character.toUpperCase(Character.forDigit((int) ((value >>> shift) & 0xF), 16)));
        }
    }
}
