package io.erpsync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves on instead of waiting: from real time, or standing still at a given instant until moved. */
public final class MovableClock extends Clock {
    private final Instant from;
    private volatile Duration ahead = Duration.ZERO;

    /** Real time, moved ahead by what the test adds. */
    public MovableClock() {
        this(null);
    }

    /** Stands at {@code from} until the test moves it. */
    public MovableClock(Instant from) {
        this.from = from;
    }

    public void advance(Duration d) {
        ahead = ahead.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return (from == null ? Instant.now() : from).plus(ahead);
    }
}
