package io.erpsync.target;

import io.erpsync.core.FailureClass;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;

/**
 * A failed call reduced to what the policy needs: its class, status, the target's words, its
 * Retry-After and the holder of a lock it names. What an answer means is the target's to say
 * ({@link AnswerClassifier}); an unreadable answer, a broken connection or anything else means the
 * same for every target.
 */
public record TargetFailure(FailureClass failureClass, int status, String message, String retryAfter, String holder) {

    public static TargetFailure of(Throwable t, AnswerClassifier answers) {
        if (t instanceof HttpOperationFailedException h) {
            return answers.refused(h.getStatusCode(), h.getResponseBody(), retryAfter(t));
        }
        if (t instanceof UnreadableAnswer u) {
            return new TargetFailure(FailureClass.UNREADABLE_ANSWER, u.status(), u.getMessage() + ": " + u.body(), null, null);
        }
        if (t instanceof IOException) {
            return new TargetFailure(FailureClass.SERVER_ERROR, 0, t.getClass().getSimpleName() + ": " + t.getMessage(), null, null);
        }
        return new TargetFailure(FailureClass.SERVER_ERROR, 0, String.valueOf(t), null, null);
    }

    /** The Retry-After (RFC 9110 10.2.3) a failed HTTP call came back with; null for any other failure. */
    public static String retryAfter(Throwable t) {
        if (!(t instanceof HttpOperationFailedException h) || h.getResponseHeaders() == null) {
            return null;
        }
        for (var e : h.getResponseHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(TargetAnswer.RETRY_AFTER)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** 401/403: the credentials are wrong for every item. */
    public boolean isCredentials() {
        return status == 401 || status == 403;
    }

    public Integer statusOrNull() {
        return status == 0 ? null : status;
    }

    /** What an operator reads in the exception queue's reason column; {@code target} names the system ("ERP"). */
    public String reason(String target) {
        return switch (failureClass) {
            case RECORD_LOCKED -> "Still locked after the lock rounds" + (holder == null ? "" : " (held by " + holder + ")")
                    + ": " + message;
            case THROTTLED -> "The " + target + " kept throttling (HTTP " + status + ") past the retry budget: " + message;
            case SERVER_ERROR -> "The " + target + " kept failing" + (status == 0 ? "" : " (HTTP " + status + ")") + " past the retry budget: "
                    + message;
            case UNREADABLE_ANSWER -> "The " + target + "'s answer could not be read: " + message;
            case REJECTED -> status == 414 ? "The " + target + " (or a proxy before it) refused the read's URL as too long (HTTP 414): lower "
                    + "sync.read-size" : "The " + target + " refused the request (HTTP " + status + "): " + message;
            default -> "The " + target + " refused the request (HTTP " + status + "): " + message;
        };
    }
}
