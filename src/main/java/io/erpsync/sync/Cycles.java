package io.erpsync.sync;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.Keys;
import io.erpsync.core.Run;
import io.erpsync.core.StockOutFigures;
import io.erpsync.core.Texts;
import io.erpsync.gate.JobGate;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.InFlightItems;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncAttempts;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.wms.StockLevel;
import io.erpsync.wms.StockRows;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.apache.camel.support.GroupIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run, called from routes/sync-cycle.camel.yaml and routes/replay.camel.yaml: start
 * (never two at once; a fire that finds one running is recorded and skipped), accept WMS rows, finish
 * (ledger, watermark).
 */
public final class Cycles {
    public static final String SCHEDULE = "SCHEDULE";
    public static final String FULL_RECONCILE = "FULL_RECONCILE";
    public static final String HOT_COOLDOWN = "hot-cooldown";
    private static final String WATERMARK = "wms";
    private static final Duration FAILED_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);

    /** How a cycle runs: what it reads and how long it may take. */
    /**
     * How a cycle runs: what it reads and how long it may take; {@code repairFor}: how long the items
     * of a run that lost its lease are compared again while its process has not shown that it has no
     * request on its way any more (it stays frozen, or is gone for good).
     */
    public record Settings(BatchWindows batchWindows, Duration settleTimeout, boolean alwaysFull, int hotCycles, Duration repairFor) {
    }

    private final SyncRuns runs;
    private final ExceptionQueue queue;
    private final Watermarks watermarks;
    private final SyncAttempts attempts;
    private final Parking parking;
    private final StockRows rows;
    private final Settings settings;
    private final Clock clock;
    private final RunSlot slot;
    private final InFlightItems inFlight;
    private final String watermark;
    private volatile TargetLine line;
    private volatile TargetLine.Lines lines;

    public Cycles(SyncRuns runs, RunLease lease, ExceptionQueue queue, Watermarks watermarks, SyncAttempts attempts, InFlightItems inFlight,
                  Parking parking, StockRows rows, Settings settings, Clock clock) {
        this(runs, new RunSlot(RunLease.STOCK, "", lease, runs), WATERMARK, queue, watermarks, attempts, inFlight, parking, rows, settings,
                clock);
    }

    /**
     * The cycles of one target among several: its own ledger rows, watermark ({@code watermark}),
     * exception rows and parking, in the one run slot all targets share (their cycles run at once,
     * one per target, all under the one stock lease: RunSlot).
     */
    public Cycles(SyncRuns runs, RunSlot slot, String watermark, ExceptionQueue queue, Watermarks watermarks, SyncAttempts attempts,
                  InFlightItems inFlight, Parking parking, StockRows rows, Settings settings, Clock clock) {
        this.watermark = watermark;
        this.inFlight = inFlight;
        this.runs = runs;
        this.slot = slot;
        this.queue = queue;
        this.watermarks = watermarks;
        this.attempts = attempts;
        this.parking = parking;
        this.rows = rows;
        this.settings = settings;
        this.clock = clock;
    }

    /** With several targets: this target's line, and every line (whose cycles a run of another target goes to). */
    public void lines(TargetLine own, TargetLine.Lines all) {
        this.line = own;
        this.lines = all;
    }

    /** The run slot (one stock run per target at a time, under one lease), which every target's cycles share. */
    public RunSlot slot() {
        return slot;
    }

    /** The cycles of the run's own target. */
    private Cycles own(Cycle cycle) {
        TargetLine l = cycle.line();
        return l == null ? this : l.cycles();
    }

    /** The replays of this target: its line's, or {@code only} when one target is configured. */
    Replays replays(Replays only) {
        return line == null ? only : line.replays();
    }

    /** The cycles of a named target (header target); this one when none is named. */
    public Cycles of(String target) {
        TargetLine.Lines all = lines;
        if (all == null && target != null && !target.equals(Run.DEFAULT_TARGET)) {
            throw new IllegalArgumentException("no target '" + target + "' is configured (targets = erp)");
        }
        return target == null || all == null || (line != null && line.name().equals(target)) ? this : all.get(target).cycles();
    }

    /** Starts a cycle: the new {@link Cycle}, or, when one is running, the summary of this skipped fire. */
    public Object begin(@Header(Keys.TRIGGER) String trigger, @Header(Keys.TARGET) String target) {
        Cycles own = of(target);
        return own.beginHere(trigger);
    }

    /** Starts a cycle of this target. */
    private Object beginHere(String trigger) {
        String t = trigger == null ? SCHEDULE : trigger;
        boolean full = settings.alwaysFull() || FULL_RECONCILE.equals(t);
        Instant since = full ? Instant.EPOCH : watermarks.get(watermark).orElse(Instant.EPOCH);
        Object started = start(t, since, full ? "full reconcile" : null);
        if (started instanceof Cycle cycle) {
            cycle.fullCompare(full);
            List<InFlightItems.Orphan> orphans = inFlight.orphans(cycle.runId());
            cycle.repairs(orphans);
            if (!orphans.isEmpty()) {
                LOG.warn("Cycle {}: {} items were on their way to the ERP in runs {} that lost their lease; they are compared again with "
                        + "their newest WMS row, whatever the watermark says", cycle.runId(), cycle.repairs().size(),
                        orphans.stream().map(InFlightItems.Orphan::runId).distinct().toList());
            }
            // after start: taking over a stopped process's lease records its run as FAILED
            if (!orphans.isEmpty() || runs.lastCycleStatus().filter(UNCLEAN::contains).isPresent()) {
                cycle.newestRows(new HashMap<>());
                LOG.warn("Cycle {}: the last cycle ended short of its rows (failed, stopped or deferred) and may have written some of "
                        + "them; this read writes only each item's newest row, so none goes back to an older value", cycle.runId());
            }
            cycle.hotItems(hotItems());
            LOG.info("Cycle {} started ({}), batch size {}, reading WMS rows updated since {}; {} hot items go in the hot lane",
                    cycle.runId(), t, cycle.batchSize(), since, cycle.hotCount());
        }
        return started;
    }

    /** How a cycle ends when its watermark stays short of rows it may have written. */
    static final Set<String> UNCLEAN = Set.of(CycleSummary.FAILED, CycleSummary.DEFERRED);

    /** Whether this cycle first reads each item's newest row time (routes/sync-cycle.camel.yaml). */
    public boolean newestRowsOnly(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        return cycle.newestRowsOnly();
    }

    /**
     * The first of two reads after an unclean cycle: the newest row time of each item, so that the
     * second read writes only those rows. The previous cycle may have written a newer row of an item
     * whose older rows this read meets first; writing them again would take the ERP back in time.
     */
    public void newestRows(@Body Iterator<Map<String, Object>> wmsRows, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        Map<String, Instant> newest = new HashMap<>();
        long n = 0;
        while (wmsRows.hasNext()) {
            StockRows.Result r = rows.read(wmsRows.next(), ++n);
            if (r.level() != null) {
                newest.merge(r.level().key(), r.level().updatedAt(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        cycle.newestRows(newest);
        LOG.info("Cycle {}: {} WMS rows of {} items; only each item's newest row is written", cycle.runId(), n, newest.size());
    }

    /** Whether the run did not start (its body is the skipped fire's summary). */
    public boolean skipped(@Body Object started) {
        return started instanceof CycleSummary;
    }

    /** Items that met a lock or stale conflict in the last sync.hot.cycles cycles, since the last cool-down. */
    public Set<String> hotItems() {
        return attempts.conflictedInLastCycles(settings.hotCycles(), watermarks.get(HOT_COOLDOWN).orElse(Instant.EPOCH));
    }

    /** An operator's cool-down: conflicts before now no longer make items hot. */
    public void coolDownHotItems() {
        watermarks.commit(HOT_COOLDOWN, clock.instant(), 0);
    }

    /**
     * Starts a run (a cycle or a replay) unless one is running: then the attempt is recorded as
     * SKIPPED_OVERLAP and its summary is returned instead of a {@link Cycle}.
     */
    Object start(String trigger, Instant since, String message) {
        return slot.start(line == null ? RunSlot.ONLY : line.name(), runs, trigger, clock.instant(), now -> {
            int batchSize = settings.batchWindows().sizeAt(now);
            long runId = runs.start(trigger, "RUNNING", now, batchSize, since, message);
            Cycle cycle = new Cycle(runId, trigger, now, batchSize, since, line);
            cycle.openExceptions().addAll(queue.openKeys());
            return cycle;
        });
    }

    /** The job gate's check of the cycle, asked beside its WMS read (routes/job-gate.camel.yaml): its rows and batches wait for the verdict. */
    public void gateAsked(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @ExchangeProperty(Keys.GATE) JobGate.Check gate) {
        cycle.gate(gate);
    }

    /**
     * After the read: the gate's verdict (a gate waiting for a job is waited for here too). A skip leaves
     * every row read without an outcome (none went to a batch) and keeps the watermark.
     */
    public void gateVerdict(@ExchangeProperty(Keys.CYCLE) Cycle cycle) throws InterruptedException {
        if (!cycle.gatePassed() && cycle.skipStatus() != null) {
            LOG.info("Cycle {} skipped: {}", cycle.runId(), cycle.skipReason());
        }
    }

    /** The parameter of wms.query: the watermark as :?since (the query itself is wms.query, in the route). */
    public void wmsParameters(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @Headers Map<String, Object> headers) {
        headers.clear();
        headers.put("since", Timestamp.from(cycle.watermarkFrom()));
    }

    /**
     * A chunk of WMS rows (up to 1000, read as a stream): the valid ones become {@link StockLevel}s for
     * their batches; an invalid one is parked with a reason that names it (its row number in the read).
     */
    public List<StockLevel> rows(@Body List<Map<String, Object>> chunk, @ExchangeProperty(Exchange.SPLIT_INDEX) Integer chunkIndex,
                                 @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        Cycles own = own(cycle);
        if (own != this) {
            return own.rows(chunk, chunkIndex, cycle);
        }
        long firstRow = (chunkIndex == null ? 0L : chunkIndex) * CHUNK + 1;
        List<StockLevel> valid = new ArrayList<>(chunk.size());
        Instant newest = null;
        for (int i = 0; i < chunk.size(); i++) {
            StockRows.Result r = rows.read(chunk.get(i), firstRow + i);
            Instant at = r.level() != null ? r.level().updatedAt() : r.rejected().updatedAt();
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
            if (r.rejected() != null) {
                parking.parkRow(cycle, r.rejected());
            } else {
                cycle.seenInRead(r.level().key());
                if (!cycle.superseded(r.level()) && !cycle.stockOuts().covers(r.level())) {
                    valid.add(r.level());
                }
            }
        }
        cycle.rowsRead(chunk.size(), newest);
        cycle.accepted(valid.size());
        return valid;
    }

    /** Rows are validated and batched this many at a time. */
    static final int CHUNK = 1000;

    /** The streamed rows of the WMS read, 1000 at a time, for the split (Camel's own GroupIterator). */
    public Iterator<?> chunks(@Body Iterator<?> rows, @ExchangeProperty(Keys.CYCLE) Cycle cycle) throws InterruptedException {
        // the gate was asked beside the read: its rows go to batches once it passed; a skip reads none of them
        return cycle.gatePassed() ? new GroupIterator(rows, CHUNK) : Collections.emptyIterator();
    }

    /** Every row of the read has gone to its batch: logged with how long the read took. */
    public void allRowsRead(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        LOG.info("Cycle {}: {} WMS rows read and batched in {} ms; the lanes finish the rest", cycle.runId(), cycle.read.get(),
                Duration.between(cycle.startedAt(), clock.instant()).toMillis());
    }

    /** Items left in flight by runs that lost their lease and not in this read: their newest WMS row is read one by one. */
    public List<InFlightItems.Item> repairsUnseen(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        return cycle.failed() || cycle.skipStatus() != null ? List.of() : cycle.repairsUnseen();
    }

    /** The parameters of wms.item-query for an item to repair. */
    public void repairParameters(@Body InFlightItems.Item item, @Headers Map<String, Object> headers) {
        StockRows.itemQueryParameters(item.itemNumber(), item.organizationCode(), headers);
    }

    /**
     * The newest valid WMS row of an item to repair, to compare with the ERP and write where they
     * differ; none (null) when the WMS has no valid row of it any more.
     */
    public StockLevel repairLevel(@Body List<Map<String, Object>> found, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        StockLevel newest = rows.newest(found);
        if (newest != null) {
            cycle.accepted(1);
        }
        return newest;
    }

    /** The run stopped on an error: it fails, its watermark stays where it was. */
    public void abort(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable t) {
        cycle.fail(t == null ? "cycle aborted" : Texts.causes(t), FAILED_GRACE);
    }

    /**
     * erp-sync is stopping (SIGTERM, camel.main.shutdown-timeout): each running cycle (one per target) fails, so no new
     * batch starts; batches on their way get {@code grace} to finish, then the run is recorded with
     * its watermark kept, and its other items are read again by the next cycle. False when no cycle runs.
     */
    public boolean stopping(Duration grace) {
        List<Cycle> going = slot.running();
        for (Cycle cycle : going) {
            LOG.warn("Cycle {}: erp-sync is stopping; batches on their way get {} to finish, the rest are left for the next cycle",
                    cycle.runId(), grace);
            cycle.fail("erp-sync was stopped during the run; items without an outcome are left for the next cycle", grace);
        }
        return !going.isEmpty();
    }

    /**
     * Waits for every batch, then records the run and commits the watermark if nothing failed. A run
     * that lost its lease records nothing over the run that took over (the store refuses its writes):
     * it waits until none of its requests is on its way and says so on its in-flight items.
     */
    public CycleSummary finish(@ExchangeProperty(Keys.CYCLE) Cycle cycle) throws InterruptedException {
        Cycles own = own(cycle);
        if (own != this) {
            return own.finish(cycle);
        }
        try {
            // a failed run keeps its watermark, so it only waits for batches already on their way
            Duration timeout = settings.settleTimeout();
            if (!cycle.awaitSettled(timeout)) {
                cycle.fail(cycle.unsettled() + " items had no outcome after " + timeout, Duration.ZERO);
            }
            Instant now = clock.instant();
            String status = cycle.failed() ? CycleSummary.FAILED
                    : cycle.skipStatus() != null ? cycle.skipStatus()
                    : cycle.deferred.get() > 0 ? CycleSummary.DEFERRED
                    : cycle.parked.get() > 0 ? CycleSummary.PARKED : CycleSummary.SUCCEEDED;
            Instant mark = cycle.failed() || cycle.isReplay() ? null : cycle.watermarkTo();
            if (mark != null) {
                watermarks.commit(watermark, mark, cycle.runId());
            }
            CycleSummary s = cycle.summary(status, now);
            if (cycle.leaseLost() != null || !runs.finish(s, now, mark)) {
                return lostLease(cycle, s);
            }
            // a failed run's calls still on their way come back within the HTTP timeouts; then its rows go
            if (cycle.awaitNoErpCall(settings.settleTimeout())) {
                inFlight.forget(cycle.runId());
                int reopened = queue.reopenReplayed(cycle.claimedRows());
                if (reopened > 0) {
                    LOG.warn("Run {}: {} exception rows the replay claimed ended without an outcome; they are OPEN again", s.runId(), reopened);
                }
            }
            // why: only a run that compared them is done with them: not one the gate skipped, nor one whose batches were deferred
            if (!cycle.failed() && cycle.skipStatus() == null && cycle.deferred.get() == 0) {
                inFlight.repaired(cycle.runId(), lastRepairs(cycle, now));
            }
            if (cycle.failed()) {
                LOG.error("Run {} FAILED after {} ms: {} (watermark kept at {})", s.runId(), s.durationMs(), cycle.failure(),
                        cycle.watermarkFrom());
            } else {
                LOG.info("Run {} {}: read={} changed={} unchanged={} updated={} conflicts={} retried={} parked={} deferred={} requests={} "
                        + "duration={}ms", s.runId(), s.status(), s.read(), s.changed(), s.unchanged(), s.updated(), s.conflicts(),
                        s.retried(), s.parked(), s.deferred(), s.requests(), s.durationMs());
            }
            if (s.stockOuts().items() > 0) {
                StockOutFigures f = s.stockOuts();
                LOG.info("Run {}: {} stock-outs went first, {} landed{}, {} parked", s.runId(), f.items(), f.landed(),
                        f.p50Ms() == null ? "" : " (p50 " + f.p50Ms() + " ms, p95 " + f.p95Ms() + " ms from the cycle's start)", f.parked().size());
            }
            if (cycle.newestRowsOnly()) {
                LOG.info("Run {}: {} rows were passed over for a newer row of the same item in the same read", s.runId(),
                        cycle.superseded.get());
            }
            return s;
        } finally {
            slot.end(cycle);
        }
    }

    /**
     * The orphans this run compared for the last time: their run's process had shown it has no request
     * on its way (drained), or it has not shown anything for sync.lease.repair-for (frozen or gone for good).
     */
    private List<InFlightItems.Orphan> lastRepairs(Cycle cycle, Instant now) {
        List<InFlightItems.Orphan> done = new ArrayList<>();
        for (List<InFlightItems.Orphan> of : cycle.repairs().values()) {
            for (InFlightItems.Orphan o : of) {
                if (o.drained() || o.lostAt() == null || o.lostAt().plus(settings.repairFor()).isBefore(now)) {
                    done.add(o);
                }
            }
        }
        return done;
    }

    /**
     * The run's lease was taken over: it has written nothing since (the store refused it). Once none of
     * its requests is on its way, its in-flight items say so, and the next cycle compares them a last time.
     */
    private CycleSummary lostLease(Cycle cycle, CycleSummary s) throws InterruptedException {
        cycle.leaseLost("its lease was taken over");
        boolean quiet = cycle.awaitNoErpCall(settings.settleTimeout());
        if (quiet) {
            inFlight.drained(cycle.runId());
        }
        LOG.warn("Run {} stopped without recording its end: {}. The run that took over recorded it FAILED; {}", s.runId(),
                cycle.leaseLost(), quiet ? "its " + cycle.recordedInFlight() + " in-flight items are compared once more by the next cycle"
                        : "some of its requests were still on their way");
        return new CycleSummary(s.runId(), CycleSummary.FAILED, s.read(), s.changed(), s.unchanged(), s.updated(), s.conflicts(),
                s.retried(), s.parked(), s.deferred(), s.requests(), s.durationMs(), s.batchSize(), cycle.leaseLost(), s.stockOuts());
    }

    /** Waits until no run is going on, in this process or another on the store, at most {@code max}; whether none is. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        return slot.awaitFree(max);
    }
}
