package io.erpsync.conflict;

import io.erpsync.core.FailedAttempt;
import io.erpsync.core.Keys;
import io.erpsync.target.TargetFailure;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The onExceptionOccurred step of the back-off clause of routes/error-handling.camel.yaml, run after
 * every failed call before Camel waits. Camel's redelivery policy computes the wait; when the ERP's
 * Retry-After (RFC 9110 10.2.3) asks for longer, the wait becomes the Retry-After, capped by the
 * policy's maximumRedeliveryDelay, through Camel's CamelRedeliveryDelay header. The failed attempt is
 * noted for the retry log. A Processor, as Camel calls onExceptionOccurred with the exchange.
 */
public final class RetryAfterDelay implements Processor {
    private final Supplier<BackoffPolicy> policy;
    private final Clock clock;

    public RetryAfterDelay(CamelContext ctx, String clauseId, Clock clock) {
        this.policy = BackoffPolicy.whenLoaded(ctx, clauseId);
        this.clock = clock;
    }

    @Override
    public void process(Exchange ex) {
        Throwable caught = ex.getException() != null ? ex.getException() : ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Instant now = clock.instant();
        // Camel has already counted this failure: 1 after the first try, so it numbers the retry to come
        Integer counter = ex.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        int retry = counter == null ? 1 : Math.max(1, counter);
        Optional<Duration> longer = policy.get().longerRetryAfter(retry, RetryAfter.parse(TargetFailure.retryAfter(caught), now));
        if (longer.isPresent()) {
            ex.getMessage().setHeader(Exchange.REDELIVERY_DELAY, longer.get().toMillis());
        } else {
            ex.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
        ex.setProperty(Keys.FAILED_ATTEMPT, new FailedAttempt(now, retry, longer.isPresent()));
    }
}
