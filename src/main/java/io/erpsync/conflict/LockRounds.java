package io.erpsync.conflict;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lock rounds (sync.retry.lock-delays, 2 s, 5 s, 10 s): a scheduled process holds item rows for
 * seconds, so a locked item is retried after each wait in turn, then parked. A longer Retry-After
 * from the ERP wins, never past sync.retry.max-delay.
 */
public final class LockRounds {
    private final List<Duration> delays;
    private final Duration maxDelay;

    public LockRounds(List<Duration> delays, Duration maxDelay) {
        this.delays = List.copyOf(delays);
        this.maxDelay = maxDelay;
    }

    /** Whether an item locked in round {@code round} (0: its first try) gets another round. */
    public boolean another(int round) {
        return round < delays.size();
    }

    /** The wait before round {@code round} (1-based), or the ERP's Retry-After when that is longer; capped. */
    public Duration before(int round, Optional<Duration> retryAfter) {
        Duration policy = delays.get(Math.min(Math.max(round, 1), delays.size()) - 1);
        Duration d = retryAfter.filter(ra -> ra.compareTo(policy) > 0).orElse(policy);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
