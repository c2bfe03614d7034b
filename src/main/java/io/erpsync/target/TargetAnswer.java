package io.erpsync.target;

import java.util.Map;

/**
 * What a target answered: status, body as text, and the few headers its transport kept
 * (Retry-After, RFC 9110 10.2.3, with locks and throttling; the ERP's ETag of a single resource).
 */
public record TargetAnswer(int status, String body, Map<String, String> headers) {

    public TargetAnswer {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public TargetAnswer(int status, String body) {
        this(status, body, Map.of());
    }

    public TargetAnswer(int status, String body, String retryAfter) {
        this(status, body, retryAfter == null ? Map.of() : Map.of(RETRY_AFTER, retryAfter));
    }

    public static final String RETRY_AFTER = "Retry-After";

    /** A header the transport kept, by name in any case; null when absent. */
    public String header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String retryAfter() {
        return header(RETRY_AFTER);
    }
}
