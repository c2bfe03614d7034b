package io.erpsync.conflict;

import io.erpsync.erp.ErpJson;
import io.erpsync.erp.UnreadableAnswer;
import io.erpsync.sync.FailureClass;
import io.erpsync.sync.FailureClassifier;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;

/** A failed ERP call reduced to what the policy needs: its class, status, the ERP's words, Retry-After. */
public record ErpFailure(FailureClass failureClass, int status, String erpMessage, String retryAfter, String lockOwner) {

    public static ErpFailure of(Throwable t) {
        if (t instanceof HttpOperationFailedException h) {
            String msg = ErpJson.errorMessage(h.getResponseBody());
            String retryAfter = h.getResponseHeaders() == null ? null : header(h, "Retry-After");
            return new ErpFailure(FailureClassifier.classify(h.getStatusCode(), msg), h.getStatusCode(), msg, retryAfter,
                    FailureClassifier.lockOwner(msg));
        }
        if (t instanceof UnreadableAnswer u) {
            return new ErpFailure(FailureClass.UNREADABLE_ANSWER, u.status(), u.body(), null, null);
        }
        if (t instanceof IOException) {
            return new ErpFailure(FailureClass.SERVER_ERROR, 0, t.getClass().getSimpleName() + ": " + t.getMessage(), null, null);
        }
        return new ErpFailure(FailureClass.SERVER_ERROR, 0, String.valueOf(t), null, null);
    }

    private static String header(HttpOperationFailedException h, String name) {
        for (var e : h.getResponseHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public boolean isCredentials() {
        return status == 401 || status == 403;
    }

    /** The conflicts the integration exists for: someone else holds or changed the record. */
    public boolean isConflict() {
        return failureClass == FailureClass.RECORD_LOCKED || failureClass == FailureClass.STALE_ETAG
                || failureClass == FailureClass.MODIFIED;
    }

    public Integer statusOrNull() {
        return status == 0 ? null : status;
    }
}
