package io.erpsync.conflict;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before retry number {@code n} (1-based) of a failure class, and whether there is
 * one. Locks follow the configured delays (2 s, 5 s, 10 s: scheduled jobs release rows in seconds);
 * throttling and server errors back off exponentially with jitter so that many clients do not return
 * in step. A Retry-After from the ERP wins when it asks for longer; everything is capped.
 */
public final class Retries {
    private final List<Duration> lockDelays;
    private final Duration initial;
    private final Duration maxDelay;
    private final int maxRetries;
    private final int staleAttempts;
    private final DoubleSupplier random;

    public Retries(List<Duration> lockDelays, Duration initial, Duration maxDelay, int maxRetries, int staleAttempts,
                   DoubleSupplier random) {
        this.lockDelays = List.copyOf(lockDelays);
        this.initial = initial;
        this.maxDelay = maxDelay;
        this.maxRetries = maxRetries;
        this.staleAttempts = staleAttempts;
        this.random = random;
    }

    public record Delay(Duration duration, boolean setByRetryAfter) {
    }

    public boolean lockRetryAllowed(int retry) {
        return retry <= lockDelays.size();
    }

    public boolean backoffRetryAllowed(int retry) {
        return retry <= maxRetries;
    }

    /** Re-read and merge rounds after a stale ETag or "resource modified". */
    public int staleAttempts() {
        return staleAttempts;
    }

    public Delay forLock(int retry, Optional<Duration> retryAfter) {
        Duration policy = lockDelays.isEmpty() ? Duration.ZERO : lockDelays.get(Math.min(retry, lockDelays.size()) - 1);
        return longer(policy, retryAfter);
    }

    public Delay forBackoff(int retry, Optional<Duration> retryAfter) {
        long base = initial.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
        long capped = Math.min(base, maxDelay.toMillis());
        // +/- 20 % jitter, still within the cap
        long jittered = Math.min(maxDelay.toMillis(), Math.round(capped * (0.8 + 0.4 * random.getAsDouble())));
        return longer(Duration.ofMillis(jittered), retryAfter);
    }

    private Delay longer(Duration policy, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent() && retryAfter.get().compareTo(policy) > 0) {
            Duration d = retryAfter.get().compareTo(maxDelay) > 0 ? maxDelay : retryAfter.get();
            return new Delay(d, true);
        }
        return new Delay(policy.compareTo(maxDelay) > 0 ? maxDelay : policy, false);
    }
}
