package io.erpsync.conflict;

import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ParkedItem;
import io.erpsync.sync.Batch;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.FailureClass;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The end of the retry policy, from routes/error-handling.camel.yaml: what could not be written goes
 * to the exception queue with the ERP's own words; what no item can recover from fails the cycle.
 */
public final class Parking {
    public static final String ITEM = "erpSyncItem";
    private static final Logger LOG = LoggerFactory.getLogger(Parking.class);

    private final ExceptionQueue queue;
    private final Clock clock;

    public Parking(ExceptionQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    /** The policy gave up on a call: park the item it was for, or the batch's items without an outcome. */
    public void parkFailed(Exchange ex) {
        ErpFailure f = ErpFailure.of(caught(ex));
        String reason = describe(f);
        ItemUpdate item = ex.getProperty(ITEM, ItemUpdate.class);
        if (item != null) {
            park(item, f.failureClass(), reason, f.statusOrNull(), f.erpMessage(), f.lockOwner());
            return;
        }
        Batch batch = ex.getProperty(BatchPush.BATCH, Batch.class);
        if (batch != null) {
            for (StockLevel level : batch.unsettledLevels()) {
                park(batch.cycle(), level, f.failureClass(), reason, f.statusOrNull(), f.erpMessage(), f.lockOwner());
                batch.settle(level);
            }
        }
    }

    /** Wrong credentials or a broken store: the cycle fails, keeps its watermark, and parks nothing. */
    public void failCycle(Exchange ex) {
        Throwable t = caught(ex);
        ErpFailure f = ErpFailure.of(t);
        String why = f.isCredentials() ? "the ERP refused the credentials (HTTP " + f.status() + "): " + f.erpMessage()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
        Cycle cycle = ex.getProperty(io.erpsync.sync.Cycles.CYCLE, Cycle.class);
        if (cycle != null) {
            cycle.fail(why);
        }
        ItemUpdate item = ex.getProperty(ITEM, ItemUpdate.class);
        if (item != null) {
            item.finish();
        }
        Batch batch = ex.getProperty(BatchPush.BATCH, Batch.class);
        if (batch != null && item == null) {
            batch.settleAllWithoutOutcome();
        }
        LOG.error("Cycle fails: {}", why);
    }

    void park(ItemUpdate item, FailureClass fc, String reason, Integer status, String erpMessage, String owner) {
        if (!item.done()) {
            park(item.cycle(), item.level(), fc, reason, status, erpMessage, owner);
            item.finish();
        }
    }

    public void park(Cycle cycle, StockLevel level, FailureClass fc, String reason, Integer status, String erpMessage, String owner) {
        queue.park(new ParkedItem(level.itemNumber(), level.organizationCode(), level.segment(), level.quantity(), level.updatedAt(),
                fc, reason, status, erpMessage, owner), cycle.runId(), clock.instant());
        cycle.counted(Cycle.Outcome.PARKED, 1);
        LOG.warn("Cycle {}: parked {} / {} as {}: {}", cycle.runId(), level.itemNumber(), level.organizationCode(), fc, reason);
    }

    static String describe(ErpFailure f) {
        return switch (f.failureClass()) {
            case RECORD_LOCKED -> "Still locked after the lock retries" + (f.lockOwner() == null ? "" : " (held by " + f.lockOwner() + ")")
                    + ": " + f.erpMessage();
            case THROTTLED -> "The ERP kept throttling (HTTP " + f.status() + ") past the retry budget: " + f.erpMessage();
            case SERVER_ERROR -> "The ERP kept failing" + (f.status() == 0 ? "" : " (HTTP " + f.status() + ")")
                    + " past the retry budget: " + f.erpMessage();
            case UNREADABLE_ANSWER -> "The ERP's answer could not be read (HTTP " + f.status() + ")";
            default -> "The ERP refused the update (HTTP " + f.status() + "): " + f.erpMessage();
        };
    }

    static Throwable caught(Exchange ex) {
        Throwable t = ex.getException();
        return t != null ? t : ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
