package io.erpsync.target.fusion;

import io.erpsync.core.FailureClass;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;

/** A failed ERP call reduced to what the policy needs: its class, status, the ERP's words, Retry-After. */
public record ErpFailure(FailureClass failureClass, int status, String erpMessage, String retryAfter, String lockOwner) {

    public static ErpFailure of(Throwable t) {
        if (t instanceof HttpOperationFailedException h) {
            String msg = ErpJson.errorMessage(h.getResponseBody());
            return new ErpFailure(FailureClassifier.classify(h.getStatusCode(), msg), h.getStatusCode(), msg, header(h, "Retry-After"),
                    FailureClassifier.lockOwner(msg));
        }
        if (t instanceof UnreadableAnswer u) {
            return new ErpFailure(FailureClass.UNREADABLE_ANSWER, u.status(), u.getMessage() + ": " + u.body(), null, null);
        }
        if (t instanceof IOException) {
            return new ErpFailure(FailureClass.SERVER_ERROR, 0, t.getClass().getSimpleName() + ": " + t.getMessage(), null, null);
        }
        return new ErpFailure(FailureClass.SERVER_ERROR, 0, String.valueOf(t), null, null);
    }

    private static String header(HttpOperationFailedException h, String name) {
        if (h.getResponseHeaders() == null) {
            return null;
        }
        for (var e : h.getResponseHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
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

    /** What an operator reads in the exception queue's reason column. */
    public String reason() {
        return switch (failureClass) {
            case RECORD_LOCKED -> "Still locked after the lock retries" + (lockOwner == null ? "" : " (held by " + lockOwner + ")")
                    + ": " + erpMessage;
            case THROTTLED -> "The ERP kept throttling (HTTP " + status + ") past the retry budget: " + erpMessage;
            case SERVER_ERROR -> "The ERP kept failing" + (status == 0 ? "" : " (HTTP " + status + ")") + " past the retry budget: "
                    + erpMessage;
            case UNREADABLE_ANSWER -> "The ERP's answer could not be read: " + erpMessage;
            case REJECTED -> status == 414 ? "The ERP (or a proxy before it) refused the read's URL as too long (HTTP 414): lower "
                    + "sync.read-size" : "The ERP refused the request (HTTP " + status + "): " + erpMessage;
            default -> "The ERP refused the request (HTTP " + status + "): " + erpMessage;
        };
    }
}
