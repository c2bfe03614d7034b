package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Keys;
import io.erpsync.core.Run;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one cycle or one replay through the same routes the schedule uses, and returns its summary:
 * for --once and --replay, JMX, the status page and the tests.
 */
public final class CycleRunner {
    private CycleRunner() {
    }

    /** One cycle now (routes/sync-cycle.camel.yaml), started by {@code trigger}. */
    public static CycleSummary runCycle(CamelContext ctx, String trigger) {
        return send(ctx, "direct:sync-cycle", null, trigger);
    }

    /**
     * One cycle of each configured target (setting targets), all at once as the schedule runs them
     * (routes/sync-targets.camel.yaml): each target's summary, by target, in the setting's order.
     */
    public static Map<String, CycleSummary> runCycles(CamelContext ctx, String trigger) {
        Exchange ex = new DefaultExchange(ctx);
        ex.getMessage().setHeader(Keys.TRIGGER, trigger);
        try (ProducerTemplate t = ctx.createProducerTemplate()) {
            Exchange out = t.send("direct:sync-targets", ex);
            if (out.getException() != null) {
                throw new IllegalStateException(out.getException().getMessage(), out.getException());
            }
            @SuppressWarnings("unchecked")
            Map<String, CycleSummary> byTarget = out.getMessage().getBody(Map.class);
            Map<String, CycleSummary> ordered = new LinkedHashMap<>();
            for (String target : targets(ctx)) {
                CycleSummary s = byTarget == null ? null : byTarget.get(target);
                if (s == null) {
                    throw new IllegalStateException("the cycle of " + target + " ended without a summary");
                }
                ordered.put(target, s);
            }
            return ordered;
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The configured targets' names (erp alone unless the setting targets names more). */
    public static List<String> targets(CamelContext ctx) {
        TargetLine.Lines lines = ctx.getRegistry().lookupByNameAndType("targets", TargetLine.Lines.class);
        return lines == null ? List.of(Run.DEFAULT_TARGET) : lines.names();
    }

    /** Replays one target's OPEN exceptions matching the filter. */
    public static CycleSummary runReplay(CamelContext ctx, String filter, String target) {
        return send(ctx, "direct:replay", filter, null, target);
    }

    /** One BOM cycle now (routes/bom-cycle.camel.yaml). */
    public static CycleSummary runBomCycle(CamelContext ctx) {
        return send(ctx, "direct:bom-cycle", null, null);
    }

    /** Replays the OPEN exceptions matching the filter (routes/replay.camel.yaml). */
    public static CycleSummary runReplay(CamelContext ctx, String filter) {
        return send(ctx, "direct:replay", filter, null);
    }

    private static CycleSummary send(CamelContext ctx, String uri, Object body, String trigger) {
        return send(ctx, uri, body, trigger, null);
    }

    private static CycleSummary send(CamelContext ctx, String uri, Object body, String trigger, String target) {
        Exchange ex = new DefaultExchange(ctx);
        if (target != null) {
            ex.getMessage().setHeader(Keys.TARGET, target);
        }
        ex.getMessage().setBody(body);
        if (trigger != null) {
            ex.getMessage().setHeader(Keys.TRIGGER, trigger);
        }
        try (ProducerTemplate t = ctx.createProducerTemplate()) {
            Exchange out = t.send(uri, ex);
            if (out.getException() != null) {
                throw new IllegalStateException(out.getException().getMessage(), out.getException());
            }
            CycleSummary s = out.getMessage().getBody(CycleSummary.class);
            if (s == null) {
                throw new IllegalStateException(uri + " ended without a summary");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
