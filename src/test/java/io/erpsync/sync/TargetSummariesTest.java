package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Keys;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class TargetSummariesTest {
    final DefaultCamelContext ctx = new DefaultCamelContext();
    final TargetSummaries strategy = new TargetSummaries();

    Exchange cycleOf(String target, CycleSummary s, Exception failure) {
        Exchange ex = new DefaultExchange(ctx);
        ex.setProperty(Keys.CYCLE_OF, target);
        ex.getMessage().setBody(s);
        ex.setException(failure);
        return ex;
    }

    static CycleSummary summary(long run, String status) {
        return new CycleSummary(run, status, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);
    }

    @Test
    void each_targets_summary_goes_under_its_name_in_the_order_they_are_aggregated() {
        CycleSummary erp = summary(1, CycleSummary.SUCCEEDED);
        CycleSummary sf = summary(2, CycleSummary.DEFERRED);

        Exchange out = strategy.aggregate(strategy.aggregate(null, cycleOf("erp", erp, null)), cycleOf("storefront", sf, null));

        Map<?, ?> byTarget = out.getMessage().getBody(Map.class);
        assertEquals(List.of("erp", "storefront"), List.copyOf(byTarget.keySet()));
        assertSame(erp, byTarget.get("erp"));
        assertSame(sf, byTarget.get("storefront"));
        assertEquals(null, out.getException());
        assertEquals(null, out.getProperty(Keys.CYCLE_OF), "the answer is a new exchange, not the first cycle's");
    }

    @Test
    void a_cycle_that_ended_on_an_error_passes_it_on_and_the_others_summaries_stay() {
        IllegalStateException boom = new IllegalStateException("the store is away");
        CycleSummary sf = summary(2, CycleSummary.SUCCEEDED);

        Exchange out = strategy.aggregate(strategy.aggregate(null, cycleOf("erp", null, boom)), cycleOf("storefront", sf, null));

        assertSame(boom, out.getException());
        assertEquals(Map.of("storefront", sf), out.getMessage().getBody(Map.class));

        Exchange later = strategy.aggregate(strategy.aggregate(null, cycleOf("erp", summary(1, CycleSummary.SUCCEEDED), null)),
                cycleOf("storefront", null, boom));
        assertSame(boom, later.getException(), "an error of a later target too");
        IllegalStateException second = new IllegalStateException("second");
        assertSame(boom, strategy.aggregate(later, cycleOf("third", null, second)).getException(), "the first error is kept");
    }
}
