package io.erpsync.sync;

import io.erpsync.erp.ItemSnapshot;
import io.erpsync.wms.StockLevel;

/**
 * One item on its way to the ERP: the newest WMS row known for it, the ERP version it will be written
 * against (none until it is read), and what it met on the way. It belongs to one batch at a time.
 */
public final class PendingItem {
    private final String key;
    private StockLevel level;
    private ItemSnapshot snapshot;
    private int staleRounds;
    private boolean compared;
    private boolean judged;

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

    /** The item's identity (item|organization), the same for every row of it. */
    public String key() {
        return key;
    }

    /** The ERP version to write against; null when the item needs a (fresh) read first. */
    public synchronized ItemSnapshot snapshot() {
        return snapshot;
    }

    synchronized void snapshot(ItemSnapshot s) {
        snapshot = s;
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

    /** Whether the item was found to differ from the ERP in this run (a write for it may have gone out). */
    synchronized boolean differed() {
        return compared;
    }

    /** True the first time only: the circuit breaker judges each item's update once, by its first outcome. */
    synchronized boolean firstJudgement() {
        boolean first = !judged;
        judged = true;
        return first;
    }
}
