package io.erpsync.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.config.MillisFunction;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.reifier.errorhandler.ErrorHandlerReifier;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The retry arithmetic, without a running runtime: routes/error-handling.camel.yaml read by Camel with
 * the default settings, the waits its back-off clause gives, Retry-After in both forms, caps and jitter.
 */
class RetryArithmeticTest {
    static final String CLAUSE = "throttled-or-down";
    DefaultCamelContext ctx;

    @BeforeEach
    void loadTheErrorPolicy() throws Exception {
        ctx = errorPolicy();
    }

    /** A Camel context holding routes/error-handling.camel.yaml with the default retry settings (2 s doubling to 60 s). */
    static DefaultCamelContext errorPolicy() throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties defaults = new Properties();
        defaults.setProperty("sync.retry.initial-delay", "2s");
        defaults.setProperty("sync.retry.max-delay", "60s");
        defaults.setProperty("sync.retry.max-retries", "5");
        ctx.getPropertiesComponent().setInitialProperties(defaults);
        ctx.getPropertiesComponent().addPropertiesFunction(new MillisFunction());
        PluginHelper.getRoutesLoader(ctx).loadRoutes(PluginHelper.getResourceLoader(ctx).resolveResource("file:routes/error-handling.camel.yaml"));
        return ctx;
    }

    @AfterEach
    void close() throws Exception {
        ctx.close();
    }

    RedeliveryPolicy clausePolicy() {
        for (var rc : ctx.getCamelContextExtension().getContextPlugin(Model.class).getRouteConfigurationDefinitions()) {
            for (OnExceptionDefinition clause : rc.getOnExceptions()) {
                if (CLAUSE.equals(clause.getId())) {
                    return ErrorHandlerReifier.createRedeliveryPolicy(clause.getRedeliveryPolicyType(), ctx, null);
                }
            }
        }
        throw new AssertionError("no clause " + CLAUSE);
    }

    @Test
    void the_back_off_doubles_from_2_s_to_the_60_s_cap() {
        BackoffPolicy policy = BackoffPolicy.ofClause(ctx, CLAUSE);
        List<Long> waits = new ArrayList<>();
        for (int retry = 1; retry <= 7; retry++) {
            waits.add(policy.delayBefore(retry));
        }
        assertEquals(List.of(2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L), waits);
    }

    @Test
    void each_wait_is_within_20_percent_of_the_policy_and_never_past_the_cap() {
        RedeliveryPolicy jittered = clausePolicy();
        BackoffPolicy policy = BackoffPolicy.ofClause(ctx, CLAUSE);
        for (int retry = 1; retry <= 7; retry++) {
            long base = policy.delayBefore(retry - 1);
            long expected = policy.delayBefore(retry);
            for (int i = 0; i < 500; i++) {
                long wait = jittered.calculateRedeliveryDelay(base, retry);
                assertTrue(wait >= Math.round(expected * 0.8) - 1 && wait <= Math.min(60000, Math.round(expected * 1.2) + 1),
                        "retry " + retry + " waited " + wait + " for a policy of " + expected);
            }
        }
    }

    @Test
    void a_retry_after_in_seconds_wins_only_when_longer_and_never_past_the_cap() {
        BackoffPolicy policy = BackoffPolicy.ofClause(ctx, CLAUSE);
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals(Optional.empty(), policy.longerRetryAfter(1, RetryAfter.parse("1", now)), "1 s is shorter than the 2 s of the policy");
        assertEquals(Optional.empty(), policy.longerRetryAfter(1, RetryAfter.parse("2", now)), "2 s is not longer than the policy's 2 s");
        assertEquals(Optional.of(Duration.ofSeconds(5)), policy.longerRetryAfter(1, RetryAfter.parse("5", now)));
        assertEquals(Optional.empty(), policy.longerRetryAfter(3, RetryAfter.parse("5", now)), "the third wait is 8 s already");
        assertEquals(Optional.of(Duration.ofSeconds(60)), policy.longerRetryAfter(1, RetryAfter.parse("600", now)), "capped");
    }

    @Test
    void a_retry_after_as_an_http_date_counts_from_now_and_a_past_date_asks_for_nothing() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(now.plusSeconds(30));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse(in30s, now));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sun, 22 Nov 2026 09:00:00 GMT", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), BackoffPolicy.ofClause(ctx, CLAUSE).longerRetryAfter(1, RetryAfter.parse(in30s, now)));
    }

    @Test
    void a_retry_after_in_the_obsolete_date_forms_or_longer_than_a_long_still_holds_the_retry_back() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Sunday, 22-Nov-26 10:00:30 GMT", now), "RFC 850");
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", now), "RFC 850, 1994: long past");
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Sun Nov 22 10:00:30 2026", now), "asctime");
        assertEquals(Optional.of(Duration.ofSeconds(30)), RetryAfter.parse("Mon Nov  2 10:00:30 2026", now.minus(Duration.ofDays(20))),
                "asctime, a day of one digit");
        assertEquals(Optional.of(RetryAfter.LONGEST), RetryAfter.parse("99999999999999999999999", now), "too many digits for a long");
        assertEquals(Optional.of(RetryAfter.LONGEST), RetryAfter.parse("9223372036854775807", now));
        BackoffPolicy policy = BackoffPolicy.ofClause(ctx, CLAUSE);
        assertEquals(Optional.of(Duration.ofSeconds(60)), policy.longerRetryAfter(1, RetryAfter.parse("99999999999999999999999", now)),
                "the longest wait the policy allows, not its shortest");
    }

    @Test
    void an_unreadable_retry_after_leaves_the_policy_alone() {
        Instant now = Instant.now();
        assertEquals(Optional.empty(), RetryAfter.parse("soon", now));
        assertEquals(Optional.empty(), RetryAfter.parse("", now));
        assertEquals(Optional.empty(), RetryAfter.parse(null, now));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", now));
    }
}
