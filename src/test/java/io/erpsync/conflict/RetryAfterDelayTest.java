package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.erpsync.core.FailedAttempt;
import io.erpsync.core.Keys;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** The wait Camel takes before a retry: its policy's, or the ERP's longer Retry-After through CamelRedeliveryDelay. */
class RetryAfterDelayTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    DefaultCamelContext ctx;
    RetryAfterDelay delay;

    @BeforeEach
    void loadTheErrorPolicy() throws Exception {
        ctx = RetryArithmeticTest.errorPolicy();
        delay = new RetryAfterDelay(ctx, RetryArithmeticTest.CLAUSE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        ctx.close();
    }

    /** An exchange whose call failed with a 429 carrying this Retry-After, Camel having counted {@code counter} failures. */
    Exchange throttled(String retryAfter, Integer counter) {
        Exchange ex = new DefaultExchange(ctx);
        ex.setException(new HttpOperationFailedException("http://erp/batch", 429, "", null,
                retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter), ""));
        ex.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, counter);
        return ex;
    }

    @Test
    void a_longer_retry_after_sets_the_wait_and_is_noted_for_the_retry_log() {
        Exchange ex = throttled("30", 1);
        delay.process(ex);
        assertEquals(30_000L, ex.getMessage().getHeader(Exchange.REDELIVERY_DELAY));
        assertEquals(new FailedAttempt(NOW, 1, true), ex.getProperty(Keys.FAILED_ATTEMPT));
    }

    @Test
    void a_shorter_retry_after_leaves_camels_own_wait_and_clears_an_earlier_one() {
        Exchange ex = throttled("5", 3);
        ex.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 30_000L);
        delay.process(ex);
        assertNull(ex.getMessage().getHeader(Exchange.REDELIVERY_DELAY), "the third wait of the policy is 8 s already");
        assertEquals(new FailedAttempt(NOW, 3, false), ex.getProperty(Keys.FAILED_ATTEMPT));

        Exchange again = throttled("10", 3);
        delay.process(again);
        assertEquals(10_000L, again.getMessage().getHeader(Exchange.REDELIVERY_DELAY));
    }

    @Test
    void the_retry_after_is_capped_by_the_policys_maximum_delay() {
        Exchange ex = throttled("600", 2);
        delay.process(ex);
        assertEquals(60_000L, ex.getMessage().getHeader(Exchange.REDELIVERY_DELAY));
    }

    @Test
    void without_a_counter_the_failure_is_the_first_try() {
        Exchange none = throttled("3", null);
        delay.process(none);
        assertEquals(3_000L, none.getMessage().getHeader(Exchange.REDELIVERY_DELAY), "longer than the first wait of 2 s");
        assertEquals(new FailedAttempt(NOW, 1, true), none.getProperty(Keys.FAILED_ATTEMPT));

        Exchange zero = throttled(null, 0);
        delay.process(zero);
        assertNull(zero.getMessage().getHeader(Exchange.REDELIVERY_DELAY));
        assertEquals(new FailedAttempt(NOW, 1, false), zero.getProperty(Keys.FAILED_ATTEMPT));
    }

    @Test
    void a_failure_camel_has_already_caught_is_read_from_the_exchange_property() {
        Exchange ex = new DefaultExchange(ctx);
        ex.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpOperationFailedException("http://erp/batch", 503, "", null,
                Map.of("retry-after", "20"), ""));
        ex.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 1);
        delay.process(ex);
        assertEquals(20_000L, ex.getMessage().getHeader(Exchange.REDELIVERY_DELAY));

        Exchange reset = new DefaultExchange(ctx);
        reset.setException(new IOException("connection reset"));
        reset.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        delay.process(reset);
        assertNull(reset.getMessage().getHeader(Exchange.REDELIVERY_DELAY));
        assertEquals(new FailedAttempt(NOW, 2, false), reset.getProperty(Keys.FAILED_ATTEMPT));
    }

    @Test
    void the_policy_is_read_once_and_answers_every_later_failure() {
        Exchange first = throttled("30", 1);
        delay.process(first);
        Exchange second = throttled("3", 2);
        delay.process(second);
        assertNull(second.getMessage().getHeader(Exchange.REDELIVERY_DELAY), "the second wait is 4 s");
        assertEquals(new FailedAttempt(NOW, 2, false), second.getProperty(Keys.FAILED_ATTEMPT));
    }
}
