package io.erpsync.sync;

import io.erpsync.conflict.ItemUpdate;
import io.erpsync.conflict.Parking;
import io.erpsync.erp.BatchOutcome;
import io.erpsync.erp.ErpAnswer;
import io.erpsync.erp.ErpJson;
import io.erpsync.erp.ErpRequest;
import io.erpsync.erp.ItemQuery;
import io.erpsync.erp.ItemSnapshot;
import io.erpsync.erp.PartFailure;
import io.erpsync.erp.QuantityUpdate;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.SyncAttempts;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch's way through the ERP, called from routes/erp-push.camel.yaml: the pre-check read, the
 * batch write of changed quantities only, and the per-part outcome. The ERP applies a batch all or
 * nothing, so when parts fail the rest is resubmitted at once without them, and the locked or stale
 * items go on alone through routes/item-update.camel.yaml.
 */
public final class BatchPush {
    public static final String BATCH = "erpSyncBatch";

    private final ExceptionQueue queue;
    private final SyncAttempts attempts;
    private final Parking parking;
    private final Clock clock;

    public BatchPush(ExceptionQueue queue, SyncAttempts attempts, Parking parking, Clock clock) {
        this.queue = queue;
        this.attempts = attempts;
        this.parking = parking;
        this.clock = clock;
    }

    /** The pre-check read of the batch's items, or null when the cycle has already failed. */
    public ErpRequest read(Exchange ex) throws InvalidPayloadException {
        Batch batch = ex.getMessage().getMandatoryBody(Batch.class);
        ex.setProperty(BATCH, batch);
        ex.setProperty(Cycles.CYCLE, batch.cycle());
        if (batch.cycle().failed()) {
            batch.settleAllWithoutOutcome();
            return null;
        }
        return ItemQuery.forItems(batch.organizationCode(), batch.levels().stream().map(StockLevel::itemNumber).toList());
    }

    /** Compares with what the ERP holds; returns the batch write of the changed items, or null when none changed. */
    public ErpRequest plan(Exchange ex) throws InvalidPayloadException {
        Batch batch = ex.getProperty(BATCH, Batch.class);
        Cycle cycle = batch.cycle();
        ErpJson.Page page = ErpJson.items(ex.getMessage().getMandatoryBody(ErpAnswer.class));
        Map<String, ItemSnapshot> erp = new HashMap<>();
        for (ItemSnapshot s : page.items()) {
            if (batch.organizationCode().equals(s.organizationCode())) {
                erp.put(s.itemNumber(), s);
            }
        }
        List<StockLevel> inStep = new ArrayList<>();
        Map<String, Batch.Pending> parts = new LinkedHashMap<>();
        for (StockLevel level : batch.unsettledLevels()) {
            ItemSnapshot snap = erp.get(level.itemNumber());
            if (snap == null) {
                String why = page.hasMore() ? " (the ERP's answer was cut short, hasMore=true)" : "";
                parking.park(cycle, level, FailureClass.UNKNOWN_ITEM, "The ERP has no item " + level.itemNumber()
                        + " in organization " + level.organizationCode() + why, 200, null, null);
                batch.settle(level);
            } else if (snap.onhandQuantity() != null && snap.onhandQuantity().compareTo(level.quantity()) == 0) {
                inStep.add(level);
            } else {
                parts.put("part" + (parts.size() + 1), new Batch.Pending(level, snap));
            }
        }
        settle(batch, inStep, Cycle.Outcome.UNCHANGED);
        cycle.counted(Cycle.Outcome.CHANGED, parts.size());
        return write(batch, parts);
    }

    private static ErpRequest write(Batch batch, Map<String, Batch.Pending> parts) {
        batch.clearPending();
        if (parts.isEmpty()) {
            return null;
        }
        List<QuantityUpdate> updates = new ArrayList<>();
        parts.forEach((id, p) -> {
            batch.pending(id, p);
            updates.add(new QuantityUpdate(id, p.snapshot().itemId(), p.snapshot().changeIndicator(), p.level().quantity()));
        });
        return new ErpRequest("POST", ErpRequest.VERSION_ROOT, null, ErpRequest.BATCH_TYPE, ErpJson.batchBody(updates), null);
    }

    /**
     * Reads the batch answer part by part. Returns the resubmission of the parts that were only rolled
     * back (at once: they must not wait for a locked neighbour), or null when the batch is through.
     */
    public ErpRequest outcome(Exchange ex) throws InvalidPayloadException {
        Batch batch = ex.getProperty(BATCH, Batch.class);
        Cycle cycle = batch.cycle();
        ErpAnswer answer = ex.getMessage().getMandatoryBody(ErpAnswer.class);
        Map<String, Batch.Pending> pending = batch.pendingByPart();
        BatchOutcome o = ErpJson.batchOutcome(answer, pending.keySet());
        if (o == null) {
            String msg = ErpJson.errorMessage(answer.body());
            for (Batch.Pending p : pending.values()) {
                parking.park(cycle, p.level(), FailureClass.REJECTED, "The ERP refused the whole batch: " + msg, answer.status(), msg, null);
                batch.settle(p.level());
            }
            return null;
        }
        settle(batch, o.updated().stream().map(id -> pending.get(id).level()).toList(), Cycle.Outcome.UPDATED);
        List<SyncAttempts.Attempt> conflicts = new ArrayList<>();
        Instant now = clock.instant();
        o.stale().forEach((id, current) -> {
            StockLevel level = pending.get(id).level();
            conflicts.add(attempt(cycle, now, level, 200, FailureClass.STALE_ETAG, null));
            alone(ex, batch, new ItemUpdate(cycle, ItemUpdate.Origin.STALE, level, current));
        });
        o.failed().forEach((id, f) -> {
            StockLevel level = pending.get(id).level();
            FailureClass fc = f.isLock() ? FailureClass.RECORD_LOCKED : FailureClassifier.classify(f.status(), f.message());
            String owner = FailureClassifier.lockOwner(f.detail());
            if (fc == FailureClass.RECORD_LOCKED) {
                conflicts.add(attempt(cycle, now, level, f.status(), fc, owner));
                alone(ex, batch, new ItemUpdate(cycle, ItemUpdate.Origin.LOCKED, level, pending.get(id).snapshot()));
            } else if (fc == FailureClass.MODIFIED) {
                conflicts.add(attempt(cycle, now, level, f.status(), fc, null));
                alone(ex, batch, new ItemUpdate(cycle, ItemUpdate.Origin.STALE, level, null));
            } else {
                parking.park(cycle, level, fc, "The ERP refused the update: " + f.message(), f.status(), f.message(), owner);
                batch.settle(level);
            }
        });
        attempts.logAll(conflicts);
        cycle.counted(Cycle.Outcome.CONFLICT, conflicts.size());
        Map<String, Batch.Pending> rest = new LinkedHashMap<>();
        for (String id : o.rolledBack()) {
            rest.put(id, pending.get(id));
        }
        return write(batch, rest);
    }

    /** The items that left the batch to go on alone (locked, stale, modified), in the order they left. */
    @SuppressWarnings("unchecked")
    public List<ItemUpdate> alone(Exchange ex) {
        List<ItemUpdate> list = ex.getProperty(ALONE, List.class);
        return list == null ? List.of() : list;
    }

    static final String ALONE = "erpSyncAlone";

    @SuppressWarnings("unchecked")
    private static void alone(Exchange ex, Batch batch, ItemUpdate u) {
        List<ItemUpdate> list = ex.getProperty(ALONE, List.class);
        if (list == null) {
            list = new ArrayList<>();
            ex.setProperty(ALONE, list);
        }
        list.add(u);
        batch.handOver(u.level());
    }

    private static SyncAttempts.Attempt attempt(Cycle cycle, Instant now, StockLevel level, int status, FailureClass fc, String owner) {
        return new SyncAttempts.Attempt(cycle.runId(), now, level.itemNumber(), level.organizationCode(), "BATCH", status, fc.name(),
                1, null, false, owner);
    }

    /**
     * Items now in step with the WMS: their open exception rows are closed first, then the items count
     * as settled (the cycle may finish as soon as the last one is).
     */
    private void settle(Batch batch, Collection<StockLevel> levels, Cycle.Outcome outcome) {
        Map<String, Instant> byKey = new LinkedHashMap<>();
        for (StockLevel level : levels) {
            byKey.put(ExceptionQueue.key(level.itemNumber(), level.organizationCode()), level.updatedAt());
        }
        queue.settle(byKey, clock.instant());
        batch.cycle().counted(outcome, levels.size());
        levels.forEach(batch::settle);
    }
}
