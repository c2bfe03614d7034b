package io.erpsync.store;

/** The runtime's own database failed; the cycle cannot vouch for its bookkeeping, so it fails. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
