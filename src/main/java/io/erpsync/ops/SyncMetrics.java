package io.erpsync.ops;

import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.conflict.AdaptiveRate;
import io.erpsync.core.CycleSummary;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.core.Run;
import io.erpsync.core.StockOutFigures;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncAttempts;
import io.erpsync.sync.AdaptiveBatchSizes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * erp-sync's own Prometheus metrics, beside Camel's, on the management port (/observe/metrics):
 * each finished run adds its figures, taken from the same summary that becomes its sync_run row.
 */
public final class SyncMetrics {
    private final CamelContext ctx;
    private final SyncAttempts attempts;
    private final ExceptionQueue queue;
    private final UpdateBreaker breaker;
    private final AdaptiveBatchSizes batchSizes;
    private final Set<String> sizedSegments = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry meters;

    private final AdaptiveRate erpRate;

    public SyncMetrics(CamelContext ctx, SyncAttempts attempts, ExceptionQueue queue, UpdateBreaker breaker, AdaptiveBatchSizes batchSizes,
                       AdaptiveRate erpRate) {
        this.ctx = ctx;
        this.erpRate = erpRate;
        this.batchSizes = batchSizes;
        this.attempts = attempts;
        this.queue = queue;
        this.breaker = breaker;
    }

    /** Camel creates the Prometheus registry while it starts; gauges are bound on first use. */
    private MeterRegistry meters() {
        MeterRegistry m = meters;
        if (m == null) {
            m = ctx.getRegistry().findSingleByType(MeterRegistry.class);
            if (m != null) {
                Gauge.builder("erp.sync.exception.queue.depth", queue, q -> q.openByClass().values().stream().mapToInt(i -> i).sum())
                        .description("OPEN rows in the exception queue").register(m);
                Gauge.builder("erp.sync.breaker.state", breaker, b -> switch (b.state()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    default -> 2;
                }).description("ERP circuit breaker: 0 closed, 1 half-open, 2 open").register(m);
                Gauge.builder("erp.sync.erp.rate", erpRate, AdaptiveRate::current)
                        .description("ERP requests per second in force (erp.rate.*, at most erp.max-requests-per-second)").register(m);
                Gauge.builder("erp.sync.erp.rate.decreases", erpRate, AdaptiveRate::decreases)
                        .description("times 429s and 503s have lowered the ERP request rate").register(m);
                meters = m;
            }
        }
        return m;
    }

    /** A BOM run: its changes by outcome (applied, already-applied, conflicts met, parked) and its requests. */
    public void recordBom(CycleSummary s) {
        MeterRegistry m = meters();
        if (m == null) {
            return;
        }
        m.counter("erp.sync.bom.cycles", "status", s.status()).increment();
        Map<String, Integer> outcomes = Map.of("applied", s.updated(), "already_applied", s.unchanged(), "parked", s.parked());
        outcomes.forEach((outcome, n) -> m.counter("erp.sync.bom.changes", "outcome", outcome).increment(n));
        m.counter("erp.sync.bom.conflicts").increment(s.conflicts());
        m.counter("erp.sync.requests").increment(s.requests());
    }

    public void record(@Body CycleSummary s, @ExchangeProperty(Keys.CYCLE) Run run) {
        recordTotals(s);
        MeterRegistry m = meters();
        if (m == null) {
            return;
        }
        // each target's own figures (setting targets), tagged target, beside the totals above
        String target = run == null ? Run.DEFAULT_TARGET : run.target();
        m.counter("erp.sync.target.cycles", "target", target, "status", s.status()).increment();
        Map<String, Integer> outcomes = Map.of("updated", s.updated(), "unchanged", s.unchanged(), "retried", s.retried(),
                "parked", s.parked(), "deferred", s.deferred());
        outcomes.forEach((outcome, n) -> m.counter("erp.sync.target.items", "target", target, "outcome", outcome).increment(n));
        m.counter("erp.sync.target.requests", "target", target).increment(s.requests());
    }

    private void recordTotals(CycleSummary s) {
        MeterRegistry m = meters();
        if (m == null) {
            return;
        }
        m.counter("erp.sync.cycles", "status", s.status()).increment();
        Map<String, Integer> outcomes = Map.of("updated", s.updated(), "unchanged", s.unchanged(), "retried", s.retried(),
                "parked", s.parked(), "deferred", s.deferred());
        outcomes.forEach((outcome, n) -> m.counter("erp.sync.items", "outcome", outcome).increment(n));
        m.counter("erp.sync.requests").increment(s.requests());
        m.counter("erp.sync.retries").increment(s.retried());
        for (SyncAttempts.Attempt a : attempts.ofRun(s.runId())) {
            if (FailureClass.valueOf(a.failureClass()).isConflict()) {
                m.counter("erp.sync.conflicts", "class", a.failureClass()).increment();
            }
        }
        Timer.builder("erp.sync.cycle.duration").register(m).record(Duration.ofMillis(s.durationMs()));
        stockOuts(m, s.stockOuts());
        segmentSizes(m);
    }

    /**
     * Stock-outs sent first (sync.priority.*): each one's time to land from its cycle's start (p50 and
     * p95 published), and how many landed or ended their cycle parked.
     */
    private void stockOuts(MeterRegistry m, StockOutFigures f) {
        if (f.items() == 0) {
            return;
        }
        Timer landing = Timer.builder("erp.sync.stockouts.time.to.land").publishPercentiles(0.5, 0.95)
                .description("a stock-out's time to land, from its cycle's start").register(m);
        f.landingMs().forEach(ms -> landing.record(Duration.ofMillis(ms)));
        m.counter("erp.sync.stockouts", "outcome", "landed").increment(f.landed());
        m.counter("erp.sync.stockouts", "outcome", "parked").increment(f.parked().size());
    }

    /** Each segment's adaptive write size (sync.batch.adaptive), a gauge per segment from the run that first adapted it. */
    private void segmentSizes(MeterRegistry m) {
        for (String segment : batchSizes.sizes().keySet()) {
            if (sizedSegments.add(segment)) {
                Gauge.builder("erp.sync.batch.size", batchSizes, b -> b.sizes().getOrDefault(segment, 0)).tag("segment", segment)
                        .description("the segment's adaptive write size").register(m);
            }
        }
    }

    /** A management action (README: Managing it from Hawtio): via jolokia or status-page, outcome done, refused or failed. */
    public void recordAction(String via, String operation, String outcome) {
        MeterRegistry m = meters();
        if (m != null) {
            m.counter("erp.sync.management.actions", "via", via, "operation", operation, "outcome", outcome).increment();
        }
    }
}
