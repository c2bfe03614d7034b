package io.erpsync.target.storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Texts;
import io.erpsync.target.PartFailure;

/**
 * A storefront fault body (docs/commerce-contract.md section 2) and what it means to the cycle,
 * decided by {@code fault.type}: its two 409s mean different things (a stale state is read again
 * and merged; another thread writing the object waits for the lock rounds).
 */
record StorefrontFault(String type, String message, String holder) {
    static final String STATE_CONFLICT = "ResourceStateConflictException";
    static final String CONCURRENT_MODIFICATION = "ConcurrentModificationException";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fault in this body; one with a null type and the body as it came (cut to 2 KB) when it holds none. */
    static StorefrontFault of(String body) {
        try {
            JsonNode fault = body == null || body.isBlank() ? null : JSON.readTree(body).path("fault");
            if (fault != null && fault.hasNonNull("type")) {
                JsonNode holder = fault.path("arguments").path("holder");
                return new StorefrontFault(fault.get("type").asText(), fault.path("message").asText(""),
                        holder.isTextual() ? Texts.cut(holder.asText(), 100) : null);
            }
        } catch (Exception unreadable) {
            // the body is reported as it came, below
        }
        return new StorefrontFault(null, body == null ? "" : Texts.cut(body), null);
    }

    FailureClass failureClass(int status) {
        if (STATE_CONFLICT.equals(type)) {
            return FailureClass.STALE_ETAG;
        }
        if (CONCURRENT_MODIFICATION.equals(type)) {
            return FailureClass.RECORD_LOCKED;
        }
        return switch (status) {
            case 429, 503 -> FailureClass.THROTTLED;
            default -> status >= 500 || status <= 0 ? FailureClass.SERVER_ERROR : FailureClass.REJECTED;
        };
    }

    /** What an operator reads: the fault's type and message, or the body as it came. */
    String words() {
        return type == null ? message : Texts.cut(type + (message.isBlank() ? "" : ": " + message));
    }

    PartFailure part(int status) {
        return new PartFailure(failureClass(status), status, words(), holder);
    }
}
