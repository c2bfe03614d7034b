package io.erpsync.target;

import io.erpsync.core.Keys;
import io.erpsync.core.Run;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * What every target's call route (routes/erp-call.camel.yaml, routes/storefront-call.camel.yaml) does
 * around its own transport, as the bean {@code targetCalls}: the request kept aside and counted, and
 * the fence right before it goes out.
 */
public final class TargetCalls {

    /**
     * The request of this call, kept aside in {@code property} (a redelivery comes back with the last
     * attempt's wire body as its body) and counted where every attempt passes: what the target received.
     * The message's headers go (camel-http sends message headers as HTTP headers); the redelivery
     * counters stay, the retry policy numbers its retries by them.
     */
    public static TargetRequest keepAside(Exchange ex, String property) throws InvalidPayloadException {
        Message m = ex.getMessage();
        TargetRequest r = m.getBody() instanceof TargetRequest req ? req : ex.getProperty(property, TargetRequest.class);
        if (r == null) {
            r = m.getMandatoryBody(TargetRequest.class);
        }
        ex.setProperty(property, r);
        Run run = ex.getProperty(Keys.CYCLE, Run.class);
        if (run != null) {
            run.requestSent();
        }
        m.removeHeaders("*", "CamelRedelivery*");
        return r;
    }

    /**
     * Right before the request goes out (after the rate cap): a run that lost its lease sends nothing
     * more (it throws, and the run has failed); otherwise the request counts as on its way.
     */
    public void fence(@ExchangeProperty(Keys.CYCLE) Run run) {
        if (run != null) {
            run.beforeErpCall();
        }
    }

    /** The request that {@link #fence} let go has come back, answered or not. */
    public void sent(@ExchangeProperty(Keys.CYCLE) Run run) {
        if (run != null) {
            run.afterErpCall();
        }
    }
}
