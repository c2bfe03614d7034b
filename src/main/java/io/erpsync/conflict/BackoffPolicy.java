package io.erpsync.conflict;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.reifier.errorhandler.ErrorHandlerReifier;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The back-off of one onException clause, read from its redeliveryPolicy in the YAML (Camel builds
 * the policy; the numbers live only there). Camel computes every delay itself; this answers the one
 * question Camel cannot: does the ERP's Retry-After ask for longer than the policy would wait?
 */
public final class BackoffPolicy {
    private final RedeliveryPolicy policy;

    BackoffPolicy(RedeliveryPolicy policy) {
        // the policy's own wait before jitter, the fair thing to compare a Retry-After with
        this.policy = policy.copy();
        this.policy.setUseCollisionAvoidance(false);
    }

    /** The policy of the clause with this id in a route configuration (routes/error-handling.camel.yaml). */
    public static BackoffPolicy ofClause(CamelContext ctx, String clauseId) {
        Model model = ctx.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteConfigurationDefinition rc : model.getRouteConfigurationDefinitions()) {
            for (OnExceptionDefinition clause : rc.getOnExceptions()) {
                if (clauseId.equals(clause.getId()) && clause.getRedeliveryPolicyType() != null) {
                    return new BackoffPolicy(ErrorHandlerReifier.createRedeliveryPolicy(clause.getRedeliveryPolicyType(), ctx, null));
                }
            }
        }
        throw new IllegalStateException("no onException clause '" + clauseId + "' with a redeliveryPolicy in the route configurations");
    }

    /** The policy of the clause, looked up once when first asked for (the route configurations load after the beans). */
    public static Supplier<BackoffPolicy> whenLoaded(CamelContext ctx, String clauseId) {
        return new Supplier<>() {
            private volatile BackoffPolicy policy;

            @Override
            public BackoffPolicy get() {
                BackoffPolicy p = policy;
                if (p == null) {
                    p = ofClause(ctx, clauseId);
                    policy = p;
                }
                return p;
            }
        };
    }

    /**
     * The wait before retry {@code retry} (1-based): the policy's, or a longer Retry-After (capped
     * by the policy's maximum), for retries made outside Camel's redelivery.
     */
    public Duration waitBefore(int retry, Optional<Duration> retryAfter) {
        return longerRetryAfter(retry, retryAfter).orElse(Duration.ofMillis(delayBefore(retry)));
    }

    /** The policy's wait before retry {@code retry} (1-based), without jitter, as Camel computes it. */
    public long delayBefore(int retry) {
        long delay = 0;
        for (int i = 1; i <= retry; i++) {
            delay = policy.calculateRedeliveryDelay(delay, i);
        }
        return delay;
    }

    /**
     * The wait to use instead of the policy's, when the ERP's Retry-After asks for longer (RFC 9110
     * 10.2.3), capped by the policy's maximumRedeliveryDelay; empty when the policy's own wait stands.
     */
    public Optional<Duration> longerRetryAfter(int retry, Optional<Duration> retryAfter) {
        long policyDelay = delayBefore(retry);
        return retryAfter.filter(ra -> ra.toMillis() > policyDelay)
                .map(ra -> Duration.ofMillis(Math.min(ra.toMillis(), policy.getMaximumRedeliveryDelay())));
    }
}
