package io.erpsync.sync;

import io.erpsync.target.ItemState;
import io.erpsync.wms.StockLevel;

import java.math.BigDecimal;

/**
 * One item on its way to its target: the newest WMS row known for it, the target's version it will be written
 * against (none until it is read), and what it met on the way. It belongs to one batch at a time.
 */
public final class PendingItem {
    private final String key;
    private StockLevel level;
    private ItemState snapshot;
    private int staleRounds;
    private boolean compared;
    private boolean judged;
    /** The target's value of our field in the version our last write was made against, while that write's re-read is pending. */
    private BigDecimal ownedWrittenOver;
    private boolean wmsRowNeeded;
    private boolean recordedInFlight;
    private boolean stockOutFirst;
    /** Who held the item at its last lock (the target's words; "" when it named nobody). */
    private String lockOwner = "";

    public PendingItem(StockLevel level) {
        this.level = level;
        this.key = level.key();
    }

    public synchronized StockLevel level() {
        return level;
    }

    /** A newer WMS row of the item replaces the one in hand; an older one is ignored. Returns whether it was newer. */
    public synchronized boolean newer(StockLevel other) {
        if (other.isNewerThan(level)) {
            level = other;
            return true;
        }
        return false;
    }

    /** Who held the item when it last met a lock ("" when the target named nobody): a lock round probes per owner. */
    synchronized String lockOwner() {
        return lockOwner;
    }

    synchronized void lockedBy(String owner) {
        lockOwner = owner == null ? "" : owner;
    }

    /** The item's identity (item|organization), the same for every row of it. */
    public String key() {
        return key;
    }

    /** The target's version to write against; null when the item needs a (fresh) read first. */
    public synchronized ItemState snapshot() {
        return snapshot;
    }

    synchronized void snapshot(ItemState s) {
        snapshot = s;
    }

    /**
     * Our write met a newer version (a stale version, a write skipped over a newer one): {@code current}
     * is that version when the target sent it back, or null when it is read again. When the field we own
     * changed since the version we wrote against, someone else wrote the value we own (another replica,
     * an operator, a second integration): the item's newest WMS row is read before anything is written.
     */
    synchronized void metNewerVersion(ItemState current) {
        BigDecimal before = snapshot == null ? null : snapshot.quantity();
        snapshot = current;
        if (current == null) {
            ownedWrittenOver = before;
        } else {
            judgeOwnedField(before, current);
        }
    }

    /** A fresh read after {@link #metNewerVersion}(null): whether our field changed underneath is judged now. */
    synchronized void reread(ItemState fresh) {
        snapshot = fresh;
        if (ownedWrittenOver != null) {
            judgeOwnedField(ownedWrittenOver, fresh);
            ownedWrittenOver = null;
        }
    }

    private void judgeOwnedField(BigDecimal before, ItemState now) {
        BigDecimal q = now.quantity();
        if (before != null && q != null && q.compareTo(before) != 0 && q.compareTo(level.quantity()) != 0) {
            wmsRowNeeded = true;
        }
    }

    /** Whether the item waits for its newest WMS row (someone else wrote the field we own). */
    synchronized boolean wmsRowNeeded() {
        return wmsRowNeeded;
    }

    /** The newest WMS row was read: it replaces the one in hand when newer; the item goes on. */
    synchronized void wmsRowRead(StockLevel newest) {
        wmsRowNeeded = false;
        if (newest != null && newest.isNewerThan(level)) {
            level = newest;
        }
    }

    /** One more re-read-and-merge round after another user changed the item; returns how many so far. */
    synchronized int staleRound() {
        return ++staleRounds;
    }

    /** True the first time only: the item counts once as changed in its run. */
    synchronized boolean firstComparison() {
        boolean first = !compared;
        compared = true;
        return first;
    }

    /** Whether the item was found to differ from the target in this run (a write for it may have gone out). */
    synchronized boolean differed() {
        return compared;
    }

    /**
     * A stock-out sent before the rest of the cycle: locks gather on such items, so their first tries are
     * no sample of the target, and a lock of one is judged by the circuit breaker at its end (landed in a
     * lock round, or parked), not at first sight.
     */
    synchronized void sentFirst() {
        stockOutFirst = true;
    }

    synchronized boolean isSentFirst() {
        return stockOutFirst;
    }

    /** True the first time only: the circuit breaker judges each item's update once, by its first outcome. */
    synchronized boolean firstJudgement() {
        boolean first = !judged;
        judged = true;
        return first;
    }

    /** Marks the item recorded in the run's in-flight rows; whether it was not yet. */
    boolean markRecordedInFlight() {
        if (recordedInFlight) {
            return false;
        }
        recordedInFlight = true;
        return true;
    }
}
