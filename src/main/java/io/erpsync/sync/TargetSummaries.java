package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Keys;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of routes/sync-targets.camel.yaml, whose targets' cycles run at once: each target's
 * summary under its name, in the setting's order (the split aggregates in that order). A cycle that
 * ended on an error passes its error on; the other targets' summaries stay in the answer.
 */
public final class TargetSummaries implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange soFar, Exchange cycle) {
        // a new answer, not the first cycle's exchange: nothing of one target's cycle (its properties, a skip's stop) leaks into it
        Exchange into = soFar == null ? new DefaultExchange(cycle.getContext()) : soFar;
        @SuppressWarnings("unchecked")
        Map<String, CycleSummary> byTarget = soFar == null ? new LinkedHashMap<>() : soFar.getMessage().getBody(Map.class);
        CycleSummary s = cycle.getMessage().getBody(CycleSummary.class);
        if (s != null) {
            byTarget.put(cycle.getProperty(Keys.CYCLE_OF, String.class), s);
        }
        if (cycle.getException() != null && into.getException() == null) {
            into.setException(cycle.getException());
        }
        into.getMessage().setBody(byTarget);
        return into;
    }
}
