package io.erpsync.store;

/**
 * A run's lease was taken over (its process froze past sync.lease.ttl, or lost the store for that
 * long): the run stops at once, sends nothing more and leaves the records of the run that took over alone.
 */
public final class LeaseLost extends RuntimeException {
    public LeaseLost(String message) {
        super(message);
    }
}
