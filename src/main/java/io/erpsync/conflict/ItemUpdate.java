package io.erpsync.conflict;

import io.erpsync.erp.ItemSnapshot;
import io.erpsync.sync.Cycle;
import io.erpsync.wms.StockLevel;

/**
 * One item on its own: a locked or stale part taken out of its batch, a hot item, or a replay. It
 * reaches an outcome exactly once (updated, unchanged, parked), which settles it in its cycle.
 */
public final class ItemUpdate {
    public enum Origin { LOCKED, STALE, HOT, REPLAY }

    private final Cycle cycle;
    private final Origin origin;
    private StockLevel level;
    private ItemSnapshot snapshot;
    private Long itemId;
    private ErpFailure conflict;
    private int staleRounds;
    private boolean done;

    public ItemUpdate(Cycle cycle, Origin origin, StockLevel level, ItemSnapshot snapshot) {
        this.cycle = cycle;
        this.origin = origin;
        this.level = level;
        this.snapshot = snapshot;
    }

    public Cycle cycle() {
        return cycle;
    }

    public Origin origin() {
        return origin;
    }

    public synchronized StockLevel level() {
        return level;
    }

    synchronized void level(StockLevel newer) {
        this.level = newer;
    }

    public synchronized ItemSnapshot snapshot() {
        return snapshot;
    }

    synchronized void snapshot(ItemSnapshot s) {
        this.snapshot = s;
        if (s != null) {
            itemId = s.itemId();
        }
    }

    /** The ERP's id of the item once known, so a re-read is a single GET. */
    public synchronized Long itemId() {
        return itemId != null ? itemId : snapshot == null ? null : snapshot.itemId();
    }

    synchronized ErpFailure takeConflict() {
        ErpFailure c = conflict;
        conflict = null;
        return c;
    }

    synchronized void conflict(ErpFailure f) {
        this.conflict = f;
    }

    synchronized int nextStaleRound() {
        return ++staleRounds;
    }

    public synchronized boolean done() {
        return done;
    }

    /** Marks the outcome; true only the first time, so the cycle counts the item once. */
    synchronized boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        cycle.settled(1);
        return true;
    }
}
