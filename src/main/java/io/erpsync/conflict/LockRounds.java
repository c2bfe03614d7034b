package io.erpsync.conflict;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lock rounds (sync.retry.lock-delays, 2 s, 5 s, 10 s): a scheduled process holds item rows for
 * seconds, so a locked item is retried after each wait in turn, then parked. A longer Retry-After
 * from the ERP wins, never past sync.retry.max-delay. A round before the last one first writes one item
 * per lock owner alone (sync.retry.lock-probe): while that one is still locked, the owner's other items
 * wait for the next round without a try, so a long lock meets one write a round, not all its items.
 */
public final class LockRounds {
    private final List<Duration> delays;
    private final Duration maxDelay;
    private final boolean probe;

    public LockRounds(List<Duration> delays, Duration maxDelay) {
        this(delays, maxDelay, false);
    }

    public LockRounds(List<Duration> delays, Duration maxDelay, boolean probe) {
        this.delays = List.copyOf(delays);
        this.maxDelay = maxDelay;
        this.probe = probe;
    }

    /**
     * Whether lock round {@code round} (1-based; 0, a first try, never) writes one item per lock owner
     * before the others: every round but the last, which tries each item it holds before it is parked.
     */
    public boolean probes(int round) {
        return probe && round > 0 && another(round);
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
