package io.erpsync.erp;

/** A batch part the ERP refused, with the status the single call would have answered (contract 3). */
public record PartFailure(int status, String title, String detail) {

    public boolean isLock() {
        return status == 409 && "RECORD_LOCKED".equals(title);
    }

    public String message() {
        return title + (detail == null || detail.isBlank() ? "" : ": " + detail);
    }
}
