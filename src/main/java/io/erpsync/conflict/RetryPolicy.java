package io.erpsync.conflict;

import io.erpsync.store.SyncAttempts;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.FailureClass;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The decisions behind routes/error-handling.camel.yaml: which clause a failure belongs to (onWhen),
 * and, as the clauses' onExceptionOccurred processor, whether to retry and after how long. The delay
 * goes to Camel through the CamelRedeliveryDelay header, so a Retry-After can lengthen it; every
 * attempt is written to sync_attempt and logged with its timestamp.
 */
public final class RetryPolicy implements Processor {
    static final String RETRY_ALLOWED = "erpSyncRetryAllowed";
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final Retries retries;
    private final SyncAttempts attempts;
    private final Clock clock;

    public RetryPolicy(Retries retries, SyncAttempts attempts, Clock clock) {
        this.retries = retries;
        this.attempts = attempts;
        this.clock = clock;
    }

    public boolean isCredentials(Exchange ex) {
        return failure(ex).isCredentials();
    }

    public boolean isRecordLocked(Exchange ex) {
        return failure(ex).failureClass() == FailureClass.RECORD_LOCKED;
    }

    public boolean isStale(Exchange ex) {
        FailureClass fc = failure(ex).failureClass();
        return fc == FailureClass.STALE_ETAG || fc == FailureClass.MODIFIED;
    }

    public boolean isBackoff(Exchange ex) {
        FailureClass fc = failure(ex).failureClass();
        return fc == FailureClass.THROTTLED || fc == FailureClass.SERVER_ERROR;
    }

    /** The retryWhile predicate of the retrying clauses: what {@link #process} decided for this failure. */
    public boolean retryAllowed(Exchange ex) {
        return ex.getProperty(RETRY_ALLOWED, false, Boolean.class);
    }

    /** Runs after every failed attempt, before Camel decides on redelivery. */
    @Override
    public void process(Exchange ex) {
        ErpFailure f = failure(ex);
        // Camel has already counted this failure: 1 after the first, so it numbers the retry to come
        int retry = Math.max(1, ex.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class));
        Optional<Duration> retryAfter = RetryAfter.parse(f.retryAfter(), clock.instant());
        Retries.Delay delay = null;
        if (f.failureClass() == FailureClass.RECORD_LOCKED && retries.lockRetryAllowed(retry)) {
            delay = retries.forLock(retry, retryAfter);
        } else if ((f.failureClass() == FailureClass.THROTTLED || f.failureClass() == FailureClass.SERVER_ERROR)
                && retries.backoffRetryAllowed(retry)) {
            delay = retries.forBackoff(retry, retryAfter);
        }
        ex.setProperty(RETRY_ALLOWED, delay != null);
        if (delay != null) {
            ex.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.duration().toMillis());
        }
        Cycle cycle = ex.getProperty(Cycles.CYCLE, Cycle.class);
        ItemUpdate item = ex.getProperty(Parking.ITEM, ItemUpdate.class);
        String operation = ex.getMessage().getHeader(Exchange.HTTP_METHOD, "?", String.class);
        String itemNumber = item == null ? null : item.level().itemNumber();
        String org = item == null ? null : item.level().organizationCode();
        Instant now = clock.instant();
        if (cycle != null) {
            if (f.isConflict()) {
                cycle.counted(Cycle.Outcome.CONFLICT, 1);
            }
            if (delay != null) {
                cycle.counted(Cycle.Outcome.RETRIED, 1);
            }
            attempts.log(new SyncAttempts.Attempt(cycle.runId(), now, itemNumber, org, operation, f.statusOrNull(),
                    f.failureClass().name(), retry, delay == null ? null : delay.duration().toMillis(),
                    delay != null && delay.setByRetryAfter(), f.lockOwner()));
        }
        LOG.warn("{} {} {}: {} {} (attempt {}){}", now, operation, itemNumber == null ? "batch" : itemNumber + "/" + org,
                f.status() == 0 ? "" : f.status(), f.failureClass(), retry,
                delay == null ? "; no retry" : "; retrying in " + delay.duration().toMillis() + " ms"
                        + (delay.setByRetryAfter() ? " (Retry-After)" : ""));
    }

    private static ErpFailure failure(Exchange ex) {
        return ErpFailure.of(Parking.caught(ex));
    }
}
