package io.erpsync.sync;

import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.conflict.LockRounds;
import io.erpsync.core.Keys;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a lane (routes/lane.camel.yaml) decides around each batch: which items are its own, whether
 * the circuit breaker lets it through or it is deferred, and which items leave it to wait for the
 * lane's next lock round (routes/lock-rounds.camel.yaml).
 */
public final class Lanes {
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);

    private final UpdateBreaker breaker;
    private final BreakerReport report;
    private final LockRounds lockRounds;

    public Lanes(UpdateBreaker breaker, BreakerReport report, LockRounds lockRounds) {
        this.breaker = breaker;
        this.report = report;
        this.lockRounds = lockRounds;
    }

    /**
     * A batch enters its lane. Any batch but a stock-out one (sync.priority.*) first waits until each
     * batch of stock-outs of its cycle had its first try, so they reach the target first and a newer row
     * of a stock-out never goes beside it; past sync.cycle.settle-timeout the run fails (keeping its
     * watermark) and the batch is deferred. A lock round takes its items back from the waiting list; any other
     * batch gives a newer row of a waiting item to that item (which the next round sends) instead of
     * sending it beside: one item is never in two requests, and an older value never follows a newer one.
     */
    public Batch enter(@Body Batch batch) throws InterruptedException {
        Cycle cycle = batch.cycle();
        if (!batch.stockOuts() && !cycle.awaitStockOutBatches()) {
            cycle.fail("the stock-outs had not all had their first try within sync.cycle.settle-timeout");
            for (PendingItem item : List.copyOf(batch.unsettled())) {
                cycle.deferred(item.level().updatedAt(), 1);
            }
            batch.settleAll();
            return batch;
        }
        var waiting = cycle.lockWaiting();
        for (PendingItem item : batch.unsettled()) {
            PendingItem w = waiting.get(item.key());
            if (w == item) {
                waiting.remove(item.key());
            } else if (w != null) {
                w.newer(item.level());
                batch.settle(item);
            }
        }
        return batch;
    }

    /**
     * Whether the circuit breaker keeps this batch from the ERP (open, or half-open with its probes
     * taken). Asking takes a half-open probe; a batch left with nothing to send (enter) takes none. A
     * replay, an operator's explicit request, is never kept back.
     */
    public boolean breakerRefuses(@Body Batch batch) {
        if (own(batch) != this) {
            return own(batch).breakerRefuses(batch);
        }
        return !batch.cycle().isReplay() && !batch.unsettled().isEmpty() && !breaker.permits();
    }

    /**
     * Whether the cycle's job gate keeps the batch from the ERP for good: nothing of a batch, read or
     * write, goes before the gate's verdict (it is asked beside the WMS read, so a batch of stock-outs can
     * be here first, and waits); a skipped cycle's batch leaves without an outcome, as if never read.
     */
    public boolean droppedByGate(@Body Batch batch) throws InterruptedException {
        if (batch.cycle().gatePassed()) {
            return false;
        }
        batch.settleAll();
        if (batch.stockOuts()) {
            batch.cycle().stockOutBatchTried();
        }
        return true;
    }

    /** The breaker is open: what the batch holds is deferred to the next cycle, not parked and not lost. */
    public void defer(@Body Batch batch) {
        if (own(batch) != this) {
            own(batch).defer(batch);
            return;
        }
        Cycle cycle = batch.cycle();
        List<PendingItem> items = List.copyOf(batch.unsettled());
        for (PendingItem item : items) {
            cycle.deferred(item.level().updatedAt(), 1);
        }
        batch.settleAll();
        if (batch.stockOuts()) {
            cycle.stockOutBatchTried();
        }
        if (!items.isEmpty()) {
            LOG.warn("Run {}: " + (cycle.line() == null ? "ERP" : cycle.target()) + " circuit breaker open, {} items of {} deferred to the next cycle", cycle.runId(), items.size(),
                    batch.label());
        }
    }

    /** After the batch: the circuit breaker hears how its updates went. */
    public void pushed(@ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            own(batch).pushed(batch);
            return;
        }
        report.report(batch);
        if (batch.stockOuts() && !batch.hasLocked()) {
            batch.cycle().stockOutBatchTried();
        }
    }

    public boolean hasLockedItems(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.hasLocked();
    }

    /** The batch's locked items, handed to the lane's next lock round; until it goes out a newer row joins them. */
    public LockedItems lockedItems(@ExchangeProperty(Keys.BATCH) Batch batch) {
        if (own(batch) != this) {
            return own(batch).lockedItems(batch);
        }
        List<PendingItem> items = batch.takeLocked();
        batch.cycle().laneLoads().keepsItsLane(batch);
        TargetLine line = batch.cycle().line();
        if (batch.stockOuts() && line != null) {
            // a batch of many segments' stock-outs: each locked one's segment follows it to this lane
            for (PendingItem item : items) {
                batch.cycle().laneLoads().keepsLane(line.batches().key(item.level(), batch.cycle()), batch.lane());
            }
        }
        for (PendingItem item : items) {
            batch.cycle().lockWaiting().put(item.key(), item);
        }
        if (batch.stockOuts()) {
            // its locked items wait for the lane's lock round now: a newer row of one joins it (enter)
            batch.cycle().stockOutBatchTried();
        }
        int round = batch.lockRound() + 1;
        Duration wait = lockRounds.before(round, Optional.ofNullable(batch.lockRetryAfter()));
        LOG.info("Run {}: {} locked items of {} wait {} ms for lock round {} of lane {}", batch.cycle().runId(), items.size(),
                batch.label(), wait.toMillis(), round, batch.lane());
        return new LockedItems(batch.cycle(), batch.lane(), round, items, wait);
    }

    /** The lanes of the batch's own target (this one unless several targets are configured). */
    private Lanes own(Batch batch) {
        TargetLine l = batch.cycle().line();
        return l == null ? this : l.lanes();
    }

    /**
     * The lane is through with the batch: its segment's next batch, if one waited for it, takes its lane
     * now and the lane sends it (LaneLoads); with nothing else handed to it, the lane takes the fullest batch filling for it.
     */
    public List<Batch> through(@ExchangeProperty(Keys.BATCH) Batch batch) {
        return batch.cycle().laneLoads().through(batch);
    }

    /** Whether the hand-off sends the batch to its lane now: it holds rows and does not wait for its segment's previous batch. */
    public boolean goesNow(@Body Batch batch) {
        return batch.size() > 0 && !batch.waitsForItsSegment();
    }

    /** The lane a batch goes to: the one it took as it was handed over (LaneLoads), "hot" for hot items. */
    public String lane(@Body Batch batch) {
        return batch.lane();
    }

    /** Locked items of one lane waiting for one lock round. */
    public record LockedItems(Cycle cycle, String lane, int round, List<PendingItem> items, Duration delay) {
        String group() {
            return cycle.runId() + "|" + lane + "|" + round;
        }
    }
}
