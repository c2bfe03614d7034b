package io.erpsync.bom;

import io.erpsync.core.CycleSummary;
import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.core.Texts;
import io.erpsync.store.BomParked;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ParkedItem;
import io.erpsync.store.RunLease;
import io.erpsync.store.SyncRuns;
import io.erpsync.store.Watermarks;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.RunSlot;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.apache.camel.support.GroupIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The BOM cycle (routes/bom-cycle.camel.yaml), as {@code Cycles} is the stock one: it reads the
 * changes in the inbox since the BOM watermark, parks an invalid row with a reason naming it, hands
 * each valid change to its bill's lane ({@link BomChanges}), waits for every change's outcome and
 * records the run; the watermark moves only when the run did not fail.
 */
public final class BomCycles {
    private static final Logger LOG = LoggerFactory.getLogger(BomCycles.class);
    static final String WATERMARK = "bom";
    public static final String TRIGGER = "BOM";

    private final BomChanges changes;
    private final BomChanges.Settings settings;
    private final BomRows rows = new BomRows();
    private final SyncRuns runs;
    private final ExceptionQueue queue;
    private final Watermarks watermarks;
    private final Clock clock;
    private final RunSlot slot;

    BomCycles(BomChanges changes, BomChanges.Settings settings, SyncRuns runs, RunLease lease, ExceptionQueue queue, Watermarks watermarks,
              Clock clock) {
        this.changes = changes;
        this.settings = settings;
        this.slot = new RunSlot(RunLease.BOM, "BOM ", lease, runs);
        this.runs = runs;
        this.queue = queue;
        this.watermarks = watermarks;
        this.clock = clock;
    }

    /** Starts a BOM cycle: the run, or, when one is running, the summary of this skipped fire. */
    public Object begin() {
        return slot.start(TRIGGER, clock.instant(), now -> {
            Instant since = watermarks.get(WATERMARK).orElse(Instant.EPOCH);
            long runId = runs.start(TRIGGER, "RUNNING", now, null, since, "bills of materials");
            LOG.info("BOM cycle {} started, reading changes requested since {}", runId, since);
            return new Cycle(runId, TRIGGER, now, 1, since);
        });
    }

    public boolean skipped(@Body Object started) {
        return started instanceof CycleSummary;
    }

    /** The parameter of bom.query: the watermark as :?since. */
    public void parameters(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @Headers Map<String, Object> headers) {
        headers.clear();
        headers.put("since", Timestamp.from(cycle.watermarkFrom()));
    }

    /** The streamed inbox rows, 500 at a time. */
    public Iterator<?> chunks(@Body Iterator<?> inbox) {
        return new GroupIterator(inbox, 500);
    }

    /** A chunk of inbox rows: the valid changes, each for its bill's lane; an invalid row is parked with a reason naming it. */
    public List<BomWork> rows(@Body List<Map<String, Object>> chunk, @ExchangeProperty(Exchange.SPLIT_INDEX) Integer chunkIndex,
                              @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        long first = (chunkIndex == null ? 0L : chunkIndex) * 500 + 1;
        List<BomWork> valid = new ArrayList<>(chunk.size());
        Instant newest = null;
        for (int i = 0; i < chunk.size(); i++) {
            BomRows.Result r = rows.read(chunk.get(i), first + i);
            if (r.requestedAt() != null && (newest == null || r.requestedAt().isAfter(newest))) {
                newest = r.requestedAt();
            }
            if (r.change() != null) {
                valid.add(new BomWork(changes, cycle, r.change()));
            } else {
                parkRow(cycle, r);
            }
        }
        cycle.rowsRead(chunk.size(), newest);
        cycle.accepted(valid.size());
        return valid;
    }

    private void parkRow(Cycle cycle, BomRows.Result r) {
        LOG.warn("BOM run {}: parked {}", cycle.runId(), r.problem());
        if (r.changeId() != null) {
            queue.parkBom(new BomParked(r.changeId(), r.billId(), null, null, null, null, r.requestedAt(), FailureClass.INVALID_ROW,
                    r.problem(), null, null, null, null, null), cycle.runId(), clock.instant());
        } else {
            queue.park(new ParkedItem(null, null, r.billId() == null ? null : "bill " + r.billId(), null, r.requestedAt(),
                    FailureClass.INVALID_ROW, r.problem(), null, null, null), cycle.runId(), clock.instant());
        }
        cycle.counted(Cycle.Outcome.PARKED, 1);
    }

    /** The run stopped on an error: it fails, its watermark stays. */
    public void abort(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable t) {
        cycle.fail(t == null ? "BOM cycle aborted" : Texts.causes(t));
    }

    /** Waits for every change to have its outcome, records the run, commits the watermark unless it failed. */
    public CycleSummary finish(@ExchangeProperty(Keys.CYCLE) Cycle cycle) throws InterruptedException {
        try {
            if (!cycle.awaitSettled(settings.settleTimeout())) {
                cycle.fail(cycle.unsettled() + " BOM changes had no outcome after " + settings.settleTimeout(), Duration.ZERO);
            }
            Instant now = clock.instant();
            String status = cycle.failed() ? CycleSummary.FAILED
                    : cycle.summary(CycleSummary.SUCCEEDED, now).parked() > 0 ? CycleSummary.PARKED : CycleSummary.SUCCEEDED;
            Instant mark = cycle.failed() || cycle.isReplay() ? null : cycle.watermarkTo();
            if (mark != null) {
                watermarks.commit(WATERMARK, mark, cycle.runId());
            }
            CycleSummary s = cycle.summary(status, now);
            runs.finish(s, now, mark);
            // changes that waited for one applied here were claimed for this run: without an outcome they are OPEN again
            int reopened = queue.reopenReplayed(cycle.claimedRows());
            if (reopened > 0) {
                LOG.warn("BOM run {}: {} changes it claimed ended without an outcome; they are OPEN again", s.runId(), reopened);
            }
            if (cycle.failed()) {
                LOG.error("BOM run {} FAILED after {} ms: {} (watermark kept at {})", s.runId(), s.durationMs(), cycle.failure(),
                        cycle.watermarkFrom());
            } else {
                LOG.info("BOM run {} {}: changes read={} applied={} already-applied={} conflicts={} retried={} parked={} requests={} "
                        + "duration={}ms", s.runId(), s.status(), s.read(), s.updated(), s.unchanged(), s.conflicts(), s.retried(),
                        s.parked(), s.requests(), s.durationMs());
            }
            if (s.read() > 0 && (double) s.conflicts() / s.read() > settings.conflictAlertRate()) {
                LOG.warn("BOM run {}: conflicts on {} of {} changes ({} %), above bom.alert.conflict-rate: engineering and planning are "
                        + "editing the same bills; see the held bills and the exception queue", s.runId(), s.conflicts(), s.read(),
                        Math.round(100.0 * s.conflicts() / s.read()));
            }
            return s;
        } finally {
            slot.end(cycle);
        }
    }

    /** erp-sync is stopping: the running BOM cycle fails, starts nothing new, and gives changes on their way {@code grace}. */
    public boolean stopping(Duration grace) {
        Cycle cycle = slot.current();
        if (cycle == null) {
            return false;
        }
        cycle.fail("erp-sync was stopped during the BOM run; changes without an outcome are read again by the next BOM cycle", grace);
        return true;
    }
}
