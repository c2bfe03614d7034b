package io.erpsync.ops;

import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncRuns;

import java.util.function.Supplier;

/**
 * One configured target as the status page shows it (setting targets, README: Storefront): its own
 * ledger rows, exception rows, circuit breaker and request rate in force.
 */
public record TargetView(String name, SyncRuns runs, ExceptionQueue queue, Supplier<String> breakerState, AdaptiveRate rate) {
}
