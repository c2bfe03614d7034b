package io.erpsync.core;

import java.time.Instant;

/** A failed ERP call: when, which attempt it was (1 = the first try), and whether the ERP's Retry-After set the wait after it. */
public record FailedAttempt(Instant at, int number, boolean retryAfterUsed) {
}
