package io.erpsync.sync;

import io.erpsync.core.FailedAttempt;
import io.erpsync.core.Keys;
import io.erpsync.store.SyncAttempts;
import io.erpsync.target.AnswerClassifier;
import io.erpsync.target.TargetFailure;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The onRedelivery step of the back-off clause of routes/error-handling.camel.yaml, run just before
 * Camel retries a call: the failed attempt goes to sync_attempt and to the log with its time, the wait
 * it was given, and whether the ERP's Retry-After set it. A Processor, as Camel calls onRedelivery with the exchange.
 */
public final class RetryLog implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(RetryLog.class);

    private final AnswerClassifier answers;
    private final SyncAttempts attempts;
    private final Clock clock;

    public RetryLog(AnswerClassifier answers, SyncAttempts attempts, Clock clock) {
        this.answers = answers;
        this.attempts = attempts;
        this.clock = clock;
    }

    @Override
    public void process(Exchange ex) {
        FailedAttempt failed = ex.getProperty(Keys.FAILED_ATTEMPT, FailedAttempt.class);
        TargetFailure f = TargetFailure.of(ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), answers);
        Instant now = clock.instant();
        Instant at = failed == null ? now : failed.at();
        int number = failed == null ? 1 : failed.number();
        long waited = Duration.between(at, now).toMillis();
        Batch batch = ex.getProperty(Keys.BATCH, Batch.class);
        Cycle cycle = batch != null ? batch.cycle() : ex.getProperty(Keys.CYCLE, Cycle.class);
        String operation = ex.getMessage().getHeader(Exchange.HTTP_METHOD, "?", String.class);
        if (cycle != null) {
            cycle.counted(Cycle.Outcome.RETRIED, 1);
            attempts.log(new SyncAttempts.Attempt(cycle.runId(), at, null, null, operation, f.statusOrNull(), f.failureClass().name(),
                    number, waited, failed != null && failed.retryAfterUsed(), null));
        }
        LOG.warn("{} {} {}: {} {} (attempt {}); retried after {} ms{}", at, operation, batch == null ? "" : batch.label(),
                f.status() == 0 ? "" : f.status(), f.failureClass(), number, waited,
                failed != null && failed.retryAfterUsed() ? " (Retry-After)" : "");
    }
}
