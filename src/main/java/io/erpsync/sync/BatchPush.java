package io.erpsync.sync;

import io.erpsync.erp.BatchOutcome;
import io.erpsync.erp.ErpAnswer;
import io.erpsync.erp.ErpJson;
import io.erpsync.erp.ErpRequest;
import io.erpsync.erp.ItemQuery;
import io.erpsync.erp.ItemSnapshot;
import io.erpsync.erp.PartFailure;
import io.erpsync.erp.QuantityUpdate;
import io.erpsync.erp.UnreadableAnswer;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ParkedItem;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch's way through the ERP, called from routes/erp-push.camel.yaml: pre-check read, the
 * batch write of changed quantities only, the per-part outcome, and parking of what failed.
 */
public final class BatchPush {
    public static final String BATCH = "erpSyncBatch";
    private static final Logger LOG = LoggerFactory.getLogger(BatchPush.class);

    private final ExceptionQueue queue;
    private final Clock clock;

    public BatchPush(ExceptionQueue queue, Clock clock) {
        this.queue = queue;
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
        Map<StockLevel, Instant> inStep = new LinkedHashMap<>();
        List<QuantityUpdate> updates = new ArrayList<>();
        batch.clearPending();
        for (StockLevel level : batch.unsettledLevels()) {
            ItemSnapshot snap = erp.get(level.itemNumber());
            if (snap == null) {
                String why = page.hasMore() ? " (the ERP's answer was cut short, hasMore=true)" : "";
                park(batch, level, FailureClass.UNKNOWN_ITEM, "The ERP has no item " + level.itemNumber() + " in organization "
                        + level.organizationCode() + why, 200, null, null);
            } else if (snap.onhandQuantity() != null && snap.onhandQuantity().compareTo(level.quantity()) == 0) {
                inStep.put(level, level.updatedAt());
            } else {
                String partId = "part" + (updates.size() + 1);
                updates.add(new QuantityUpdate(partId, snap.itemId(), snap.changeIndicator(), level.quantity()));
                batch.pending(partId, new Batch.Pending(level, snap));
            }
        }
        settle(batch, inStep.keySet(), Cycle.Outcome.UNCHANGED);
        cycle.counted(Cycle.Outcome.CHANGED, updates.size());
        if (updates.isEmpty()) {
            return null;
        }
        return new ErpRequest("POST", ErpRequest.VERSION_ROOT, null, ErpRequest.BATCH_TYPE, ErpJson.batchBody(updates), null);
    }

    /** Reads the batch answer part by part. */
    public void outcome(Exchange ex) throws InvalidPayloadException {
        Batch batch = ex.getProperty(BATCH, Batch.class);
        Cycle cycle = batch.cycle();
        ErpAnswer answer = ex.getMessage().getMandatoryBody(ErpAnswer.class);
        Map<String, Batch.Pending> pending = batch.pendingByPart();
        BatchOutcome o = ErpJson.batchOutcome(answer, pending.keySet());
        if (o == null) {
            String msg = ErpJson.errorMessage(answer.body());
            for (Batch.Pending p : pending.values()) {
                park(batch, p.level(), FailureClass.REJECTED, "The ERP refused the whole batch: " + msg, answer.status(), msg, null);
            }
            return;
        }
        settle(batch, o.updated().stream().map(id -> pending.get(id).level()).toList(), Cycle.Outcome.UPDATED);
        o.stale().forEach((id, current) -> {
            cycle.counted(Cycle.Outcome.CONFLICT, 1);
            park(batch, pending.get(id).level(), FailureClass.STALE_ETAG, "Item " + current.itemNumber()
                    + " changed in the ERP after it was read (ifMatch no longer current)", 200, null, null);
        });
        o.failed().forEach((id, f) -> {
            FailureClass fc = f.isLock() ? FailureClass.RECORD_LOCKED : FailureClassifier.classify(f.status(), f.message());
            if (fc == FailureClass.RECORD_LOCKED || fc == FailureClass.MODIFIED) {
                cycle.counted(Cycle.Outcome.CONFLICT, 1);
            }
            park(batch, pending.get(id).level(), fc, f.message(), f.status(), f.message(), FailureClassifier.lockOwner(f.detail()));
        });
        if (!o.rolledBack().isEmpty()) {
            String because = "The ERP rolled the batch back because parts " + o.failed().keySet() + " failed";
            for (String id : o.rolledBack()) {
                park(batch, pending.get(id).level(), FailureClass.ROLLED_BACK, because, answer.status(), null, null);
            }
        }
    }

    /** The ERP call failed as a whole (error status, network, unreadable answer): park what is left of the batch. */
    public void parkRest(Exchange ex) {
        Batch batch = ex.getProperty(BATCH, Batch.class);
        Throwable t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = 0;
        String erpMessage;
        FailureClass fc;
        if (t instanceof HttpOperationFailedException h) {
            status = h.getStatusCode();
            erpMessage = ErpJson.errorMessage(h.getResponseBody());
            fc = FailureClassifier.classify(status, erpMessage);
        } else if (t instanceof UnreadableAnswer u) {
            status = u.status();
            erpMessage = u.body();
            fc = FailureClass.UNREADABLE_ANSWER;
        } else {
            erpMessage = t == null ? "" : t.getClass().getSimpleName() + ": " + t.getMessage();
            fc = FailureClass.SERVER_ERROR;
        }
        String reason = (t == null ? "ERP call failed" : t.getMessage());
        String owner = FailureClassifier.lockOwner(erpMessage);
        for (StockLevel level : batch.unsettledLevels()) {
            park(batch, level, fc, reason, status == 0 ? null : status, erpMessage, owner);
        }
    }

    /** A failure no item can recover from (credentials, the store): the cycle fails, nothing is parked. */
    public void failCycle(Exchange ex) {
        Batch batch = ex.getProperty(BATCH, Batch.class);
        Throwable t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = t instanceof HttpOperationFailedException h
                ? "the ERP refused the credentials (HTTP " + h.getStatusCode() + "): " + ErpJson.errorMessage(h.getResponseBody())
                : String.valueOf(t);
        if (batch != null) {
            batch.cycle().fail(why);
            batch.settleAllWithoutOutcome();
        }
        LOG.error("Cycle fails: {}", why);
    }

    /**
     * Items that are now in step with the WMS: their open exception rows are closed first, then the
     * items count as settled (the cycle may finish as soon as the last one is).
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

    private void park(Batch batch, StockLevel level, FailureClass fc, String reason, Integer status, String erpMessage, String owner) {
        queue.park(new ParkedItem(level.itemNumber(), level.organizationCode(), level.segment(), level.quantity(), level.updatedAt(),
                fc, reason, status, erpMessage, owner), batch.cycle().runId(), clock.instant());
        batch.cycle().counted(Cycle.Outcome.PARKED, 1);
        batch.settle(level);
        LOG.warn("Cycle {}: parked {} / {} as {}: {}", batch.cycle().runId(), level.itemNumber(), level.organizationCode(), fc, reason);
    }
}
