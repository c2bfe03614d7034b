package io.erpsync.target.fusion;

import io.erpsync.core.FailureClass;

/** A batch part the ERP refused, with the status the single call would have answered (contract 3). */
public record PartFailure(int status, String title, String detail) {

    public FailureClass failureClass() {
        return status == 409 && "RECORD_LOCKED".equals(title) ? FailureClass.RECORD_LOCKED : FailureClassifier.classify(status, message());
    }

    public String lockOwner() {
        return FailureClassifier.lockOwner(detail);
    }

    public String message() {
        return title + (detail == null || detail.isBlank() ? "" : ": " + detail);
    }
}
