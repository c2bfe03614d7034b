package io.erpsync.target.fusion;

import io.erpsync.core.FailureClass;
import io.erpsync.target.PartFailure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which failure class an ERP answer belongs to (contract 2.3, 3, 4), and who holds the lock when the message names one. */
public final class FailureClassifier {
    private static final Pattern LOCK_OWNER = Pattern.compile("locked by user (\\S+)");

    private FailureClassifier() {
    }

    public static FailureClass classify(int status, String erpMessage) {
        String m = erpMessage == null ? "" : erpMessage;
        return switch (status) {
            case 409 -> m.contains("RECORD_LOCKED") ? FailureClass.RECORD_LOCKED : FailureClass.MODIFIED;
            case 412 -> FailureClass.STALE_ETAG;
            case 429, 503 -> FailureClass.THROTTLED;
            default -> status >= 500 || status <= 0 ? FailureClass.SERVER_ERROR : FailureClass.REJECTED;
        };
    }

    /** A failed batch part (contract 3): its exception's status, title and detail (a lock says RECORD_LOCKED in its title). */
    public static PartFailure part(int status, String title, String detail) {
        String message = title + (detail == null || detail.isBlank() ? "" : ": " + detail);
        return new PartFailure(classify(status, message), status, message, lockOwner(detail));
    }

    public static String lockOwner(String erpMessage) {
        if (erpMessage == null) {
            return null;
        }
        Matcher m = LOCK_OWNER.matcher(erpMessage);
        return m.find() ? m.group(1) : null;
    }
}
