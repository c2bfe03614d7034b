package io.erpsync.conflict;

import io.erpsync.core.Aimd;

import java.time.Clock;
import java.time.Instant;

/**
 * The request rate in force for one target, shared by all lanes (routes/erp-call.camel.yaml's throttle
 * reads it for every request), AIMD as TCP paces its window (RFC 5681): a 429 or 503 multiplies it by
 * erp.rate.decrease, at most once a second (the answers to requests already sent at the old rate say
 * nothing new), each second without one adds erp.rate.increase, up to erp.max-requests-per-second and
 * never below erp.rate.floor; after a clean spell a lowered rate climbs back by slow start (core.Aimd:
 * doubling towards the rate in force before the 429, additively above it). A Retry-After keeps its meaning: it delays the retry of its own call
 * (error-handling), the rate paces every call. Switched off (erp.rate.adaptive=false) the rate is the maximum.
 */
public final class AdaptiveRate {
    private static final long SECOND = 1000;
    private final boolean adaptive;
    private final int max;
    private final int floor;
    private final Aimd step;
    private final Clock clock;
    private Aimd.Level level;
    private Instant cleanSince;
    private Instant lastDecrease;
    private long decreases;

    public AdaptiveRate(boolean adaptive, int max, int floor, double decrease, int increase, Clock clock) {
        if (max < 1) {
            throw new IllegalStateException("erp.max-requests-per-second must be at least 1, was " + max);
        }
        if (floor < 1 || floor > max) {
            throw new IllegalStateException("erp.rate.floor must be between 1 and erp.max-requests-per-second (" + max + "), was " + floor);
        }
        this.step = Aimd.of("erp.rate", decrease, increase);
        this.adaptive = adaptive;
        this.max = max;
        this.floor = floor;
        this.clock = clock;
        this.level = Aimd.Level.at(max);
        this.cleanSince = clock.instant();
    }

    /** Requests per second in force now: each whole second clean since the last change has raised it. */
    public synchronized int current() {
        Instant now = clock.instant();
        if (now.isBefore(cleanSince)) {
            // the wall clock was set back: the clean spell counts from now
            cleanSince = now;
        }
        long seconds = (now.toEpochMilli() - cleanSince.toEpochMilli()) / SECOND;
        if (seconds > 0) {
            level = step.up(level, seconds, max);
            cleanSince = cleanSince.plusMillis(seconds * SECOND);
        }
        return level.value();
    }

    /** How many times 429s and 503s have lowered the rate since the start. */
    public synchronized long decreases() {
        return decreases;
    }

    /**
     * The target answered with {@code status} and its own word on its load ({@code sfdc_load_status}
     * of the storefront): WARN or THROTTLE lowers the rate as a 429 does, before the target refuses.
     */
    public void answered(Integer status, String loadStatus) {
        boolean loaded = "WARN".equalsIgnoreCase(loadStatus) || "THROTTLE".equalsIgnoreCase(loadStatus);
        answered(loaded ? Integer.valueOf(429) : status);
    }

    /** The target answered with {@code status} (none: no answer at all, which says nothing about its load). */
    public synchronized void answered(Integer status) {
        if (!adaptive || status == null || (status != 429 && status != 503)) {
            return;
        }
        current();
        Instant now = clock.instant();
        long sinceDecrease = lastDecrease == null ? SECOND : now.toEpochMilli() - lastDecrease.toEpochMilli();
        // why: a wall clock set back (a negative gap) must not hold the rate up through a storm of 429s
        if (sinceDecrease >= SECOND || sinceDecrease < 0) {
            level = step.down(level, floor);
            lastDecrease = now;
            decreases++;
        }
        cleanSince = now;
    }
}
