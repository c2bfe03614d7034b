package io.erpsync.sync;

import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ParkedItem;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.wms.RowRejected;
import io.erpsync.wms.StockRows;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of a cycle, called from routes/sync-cycle.camel.yaml: start (never two at once; a fire
 * that finds one running is recorded and skipped), accept WMS rows, finish (ledger, watermark).
 */
public final class Cycles {
    public static final String CYCLE = "erpSyncCycle";
    public static final String TRIGGER = "erpSyncTrigger";
    public static final String FULL_RECONCILE = "FULL_RECONCILE";
    private static final Duration FAILED_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);

    private final SyncRuns runs;
    private final Watermarks watermarks;
    private final ExceptionQueue queue;
    private final StockRows rows;
    private final Clock clock;
    private final BatchWindows batchWindows;
    private final Duration settleTimeout;
    private final String watermarkName;
    private final boolean alwaysFull;
    private final SyncAttempts attempts;
    private final int hotCycles;
    private final String wmsQuery;
    private final AtomicReference<Cycle> running = new AtomicReference<>();

    public Cycles(SyncRuns runs, Watermarks watermarks, ExceptionQueue queue, StockRows rows, Clock clock,
                  BatchWindows batchWindows, Duration settleTimeout, String watermarkName, boolean alwaysFull,
                  SyncAttempts attempts, int hotCycles, String wmsQuery) {
        this.runs = runs;
        this.watermarks = watermarks;
        this.queue = queue;
        this.rows = rows;
        this.clock = clock;
        this.batchWindows = batchWindows;
        this.settleTimeout = settleTimeout;
        this.watermarkName = watermarkName;
        this.alwaysFull = alwaysFull;
        this.attempts = attempts;
        this.hotCycles = hotCycles;
        this.wmsQuery = wmsQuery;
    }

    /** Starts a cycle, or records a skipped fire when one is running. Sets header {@code since} for wms.query. */
    public void begin(Exchange ex) {
        String trigger = ex.getProperty(TRIGGER, "SCHEDULE", String.class);
        boolean full = alwaysFull || FULL_RECONCILE.equals(trigger);
        Instant since = full ? Instant.EPOCH : watermarks.get(watermarkName).orElse(Instant.EPOCH);
        Cycle cycle = start(ex, trigger, since, full ? "full reconcile" : null);
        if (cycle != null) {
            cycle.hotItems(hotItems());
            LOG.info("Cycle {} started ({}), batch size {}, reading WMS rows updated since {}; {} hot items go alone", cycle.runId(),
                    trigger, cycle.batchSize(), since, cycle.hotCount());
        }
    }

    public static final String HOT_COOLDOWN = "hot-cooldown";

    /** Items that met a lock or stale conflict in the last sync.hot.cycles cycles, since the last cool-down. */
    public java.util.Set<String> hotItems() {
        return attempts.conflictedInLastCycles(hotCycles, watermarks.get(HOT_COOLDOWN).orElse(Instant.EPOCH));
    }

    /** An operator's cool-down: conflicts before now no longer make items hot. */
    public void coolDownHotItems() {
        watermarks.commit(HOT_COOLDOWN, clock.instant(), 0);
    }

    /**
     * Starts a run (a cycle or a replay) unless one is running: then the attempt is recorded as
     * SKIPPED_OVERLAP, the body becomes its summary, and null is returned.
     */
    public Cycle start(Exchange ex, String trigger, Instant since, String message) {
        Instant now = clock.instant();
        Cycle busy = running.get();
        if (busy != null) {
            skip(ex, trigger, now, busy);
            return null;
        }
        int batchSize = batchWindows.sizeAt(now);
        long runId = runs.start(trigger, "RUNNING", now, batchSize, since, message);
        Cycle cycle = new Cycle(runId, trigger, now, batchSize, since);
        if (!running.compareAndSet(null, cycle)) {
            runs.finish(cycle.summary(CycleSummary.SKIPPED_OVERLAP, now), now, null);
            skip(ex, trigger, now, running.get());
            return null;
        }
        ex.setProperty(CYCLE, cycle);
        return cycle;
    }

    private void skip(Exchange ex, String trigger, Instant now, Cycle busy) {
        String why = "cycle " + (busy == null ? "?" : busy.runId()) + " was still running";
        long id = runs.start(trigger, CycleSummary.SKIPPED_OVERLAP, now, null, null, why);
        CycleSummary s = new CycleSummary(id, CycleSummary.SKIPPED_OVERLAP, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, why);
        runs.finish(s, now, null);
        LOG.warn("Cycle fire ({}) skipped: {}", trigger, why);
        ex.getMessage().setBody(s);
    }

    /** The WMS read: wms.query, with the watermark as its :?since parameter. */
    public String wmsQuery(Exchange ex) {
        Cycle cycle = ex.getProperty(CYCLE, Cycle.class);
        ex.getMessage().getHeaders().clear();
        ex.getMessage().setHeader("since", Timestamp.from(cycle.watermarkFrom()));
        return wmsQuery;
    }

    /**
     * One WMS row: a valid row becomes the body (a {@link io.erpsync.wms.StockLevel}) for its segment's
     * batch; an invalid one goes to the exception queue and the body becomes null.
     */
    @SuppressWarnings("unchecked")
    public void row(Exchange ex) {
        Cycle cycle = ex.getProperty(CYCLE, Cycle.class);
        long rowNumber = ex.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class) + 1L;
        StockRows.Result r = rows.read(ex.getMessage().getBody(Map.class), rowNumber);
        if (r.rejected() != null) {
            RowRejected bad = r.rejected();
            cycle.rowRead(bad.updatedAt());
            queue.park(new ParkedItem(bad.itemNumber(), bad.organizationCode(), bad.segment(), bad.quantity(), bad.updatedAt(),
                    FailureClass.INVALID_ROW, bad.reason(), null, null, null), cycle.runId(), clock.instant());
            cycle.counted(Cycle.Outcome.PARKED, 1);
            LOG.warn("Cycle {}: parked {}", cycle.runId(), bad.reason());
            ex.getMessage().setBody(null);
            return;
        }
        cycle.rowRead(r.level().updatedAt());
        cycle.accepted();
        ex.getMessage().setBody(r.level());
        ex.getMessage().setHeader("segment", r.level().segment());
        ex.getMessage().setHeader("hot", cycle.isHot(r.level().key()));
    }

    /** The cycle stopped on an error: it fails, its watermark stays where it was. */
    public void abort(Exchange ex) {
        Cycle cycle = ex.getProperty(CYCLE, Cycle.class);
        Throwable t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cycle != null) {
            cycle.fail(t == null ? "cycle aborted" : t.getClass().getSimpleName() + ": " + t.getMessage());
        }
    }

    /** Waits for every batch, then records the run and commits the watermark if nothing failed. */
    public CycleSummary finish(Exchange ex) throws InterruptedException {
        Cycle cycle = ex.getProperty(CYCLE, Cycle.class);
        try {
            // a failed cycle keeps its watermark, so it only waits for batches already on their way
            Duration wait = cycle.failed() && FAILED_GRACE.compareTo(settleTimeout) < 0 ? FAILED_GRACE : settleTimeout;
            if (!cycle.awaitSettled(wait)) {
                cycle.fail(cycle.unsettled() + " items had no outcome after " + settleTimeout);
            }
            Instant now = clock.instant();
            String status = cycle.failed() ? CycleSummary.FAILED
                    : cycle.skipStatus() != null ? cycle.skipStatus()
                    : cycle.deferred.get() > 0 ? CycleSummary.DEFERRED
                    : cycle.parked.get() > 0 ? CycleSummary.PARKED : CycleSummary.SUCCEEDED;
            Instant mark = cycle.failed() ? null : cycle.watermarkTo();
            if (mark != null) {
                watermarks.commit(watermarkName, mark, cycle.runId());
            }
            CycleSummary s = cycle.summary(status, now);
            runs.finish(s, now, mark);
            if (cycle.failed()) {
                LOG.error("Cycle {} FAILED after {} ms: {} (watermark kept at {})", s.runId(), s.durationMs(), cycle.failure(),
                        cycle.watermarkFrom());
            } else {
                LOG.info("Cycle {} {}: read={} changed={} unchanged={} updated={} conflicts={} retried={} parked={} requests={} duration={}ms",
                        s.runId(), s.status(), s.read(), s.changed(), s.unchanged(), s.updated(), s.conflicts(), s.retried(),
                        s.parked(), s.requests(), s.durationMs());
            }
            return s;
        } finally {
            running.compareAndSet(cycle, null);
        }
    }


}
