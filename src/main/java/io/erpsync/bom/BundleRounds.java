package io.erpsync.bom;

import io.erpsync.conflict.LockRounds;
import io.erpsync.conflict.RetryAfter;
import io.erpsync.core.FailureClass;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a bundle write the storefront put off does next ({@link BundleWrites.Again}): a busy parent
 * waits off its lane for the next lock round (sync.retry.lock-delays), a throttled call or the
 * storefront down for the next back-off round (sync.retry.*, up to bom.retry.max-retries), a longer
 * Retry-After winning in both; after the last round it is parked, a busy one with its holder. The
 * change's ERP part has landed already: only its bundle waits, and its bill's later changes behind it.
 */
final class BundleRounds {
    static final String LOCK = "bundle-lock";
    static final String BACKOFF = "bundle-back-off";

    /** The next round (its kind, its number, the delay before it), or, when {@code parked} is set, none. */
    record Next(String kind, int round, Duration delay, BundleWrites.Parked parked) {
    }

    private final LockRounds lockRounds;
    private final int maxBackoff;
    private final BiFunction<Integer, Optional<Duration>, Duration> backoffWait;

    /** {@code backoffWait}: the wait before back-off round n, or a longer Retry-After (the error policy's, BackoffPolicy.waitBefore). */
    BundleRounds(LockRounds lockRounds, int maxBackoff, BiFunction<Integer, Optional<Duration>, Duration> backoffWait) {
        this.lockRounds = lockRounds;
        this.maxBackoff = maxBackoff;
        this.backoffWait = backoffWait;
    }

    /** After {@code lockRounds} lock rounds and {@code backoffRounds} back-off rounds of the bundle, this refusal: the next round or parked. */
    Next next(BundleWrites.Again again, int lockRoundsSpent, int backoffRoundsSpent, Instant now) {
        Optional<Duration> retryAfter = RetryAfter.parse(again.retryAfter(), now);
        if (again.failureClass() == FailureClass.RECORD_LOCKED) {
            if (lockRounds.another(lockRoundsSpent)) {
                int round = lockRoundsSpent + 1;
                return new Next(LOCK, round, lockRounds.before(round, retryAfter), null);
            }
            return new Next(LOCK, lockRoundsSpent, null, new BundleWrites.Parked(FailureClass.RECORD_LOCKED, again.what() + " still busy after "
                    + lockRoundsSpent + " lock rounds" + (again.holder() == null ? "" : " (held by " + again.holder() + ")") + ": "
                    + again.words(), again.status(), again.words(), again.holder()));
        }
        if (backoffRoundsSpent < maxBackoff) {
            int round = backoffRoundsSpent + 1;
            return new Next(BACKOFF, round, backoffWait.apply(round, retryAfter), null);
        }
        String doing = again.failureClass() == FailureClass.THROTTLED ? " kept throttling" : " kept failing";
        return new Next(BACKOFF, backoffRoundsSpent, null, new BundleWrites.Parked(again.failureClass(), again.what() + doing
                + (again.status() == null ? "" : " (HTTP " + again.status() + ")") + " past " + backoffRoundsSpent + " back-off rounds: "
                + again.words(), again.status(), again.words(), null));
    }
}
