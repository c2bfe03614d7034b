package io.erpsync.breaker;

/** The ERP failed a batch or an item past its retries: what the circuit breaker counts as a failed call. */
public final class ErpGaveUp extends RuntimeException {
    public ErpGaveUp(String message) {
        super(message, null, false, false);
    }
}
