package io.erpsync.sync;

import io.erpsync.erp.ItemSnapshot;
import io.erpsync.wms.StockLevel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Up to batch-size items of one segment, newest WMS row per item. Tracks which items still lack an
 * outcome, so that whatever happens to the batch, each item is settled exactly once.
 */
public final class Batch {
    /** An item on its way to the ERP: the WMS row and the version of the item it was compared with. */
    public record Pending(StockLevel level, ItemSnapshot snapshot) {
    }

    private final String segment;
    private final Cycle cycle;
    private final Map<String, StockLevel> levels = new LinkedHashMap<>();
    private final Set<String> unsettled = new LinkedHashSet<>();
    private final Map<String, Pending> pendingByPart = new LinkedHashMap<>();

    public Batch(String segment, Cycle cycle) {
        this.segment = segment;
        this.cycle = cycle;
    }

    public String segment() {
        return segment;
    }

    public Cycle cycle() {
        return cycle;
    }

    /** Adds a row; an older row of an item already here is dropped and counted settled (the newer one wins). */
    public synchronized void add(StockLevel level) {
        StockLevel existing = levels.get(level.key());
        if (existing == null) {
            levels.put(level.key(), level);
            unsettled.add(level.key());
        } else {
            if (level.isNewerThan(existing)) {
                levels.put(level.key(), level);
            }
            cycle.settled(1);
        }
    }

    public synchronized int size() {
        return levels.size();
    }

    public synchronized List<StockLevel> levels() {
        return new ArrayList<>(levels.values());
    }

    public String organizationCode() {
        return levels().get(0).organizationCode();
    }

    public synchronized Collection<StockLevel> unsettledLevels() {
        List<StockLevel> out = new ArrayList<>();
        for (String k : unsettled) {
            out.add(levels.get(k));
        }
        return out;
    }

    /** Marks an item as having its outcome; a second call for the same item is a no-op. */
    public synchronized void settle(StockLevel level) {
        if (unsettled.remove(level.key())) {
            cycle.settled(1);
        }
    }

    /** The item leaves the batch to be sent on its own; its own route gives it its outcome. */
    public synchronized void handOver(StockLevel level) {
        unsettled.remove(level.key());
    }

    public synchronized void settleAllWithoutOutcome() {
        int n = unsettled.size();
        unsettled.clear();
        cycle.settled(n);
    }

    public synchronized void pending(String partId, Pending p) {
        pendingByPart.put(partId, p);
    }

    public synchronized Map<String, Pending> pendingByPart() {
        return new LinkedHashMap<>(pendingByPart);
    }

    public synchronized void clearPending() {
        pendingByPart.clear();
    }
}
