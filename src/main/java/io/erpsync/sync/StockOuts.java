package io.erpsync.sync;

import io.erpsync.core.StockOutFigures;
import io.erpsync.wms.StockLevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One cycle's stock-outs (sync.priority.*): the rows sent first, by item, when each landed (the target
 * holds the WMS's value: written, or found equal) counted from the cycle's start, and which ended the
 * cycle parked. The last outcome of an item wins: parked, then landed with a newer row, is landed.
 * Shared by the lanes of the cycle.
 */
final class StockOuts {
    private final Map<String, StockLevel> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> landedMs = new ConcurrentHashMap<>();
    private final Map<String, String> parked = new ConcurrentHashMap<>();

    /** The row that goes first for its item. */
    void sent(StockLevel level) {
        sent.put(level.key(), level);
    }

    /**
     * Whether a row of the main read is one a stock-out batch already holds, or older: it is not sent
     * again (one item never in two requests, an older value never after a newer one). A newer row goes on.
     */
    boolean covers(StockLevel level) {
        StockLevel first = sent.get(level.key());
        return first != null && !level.updatedAt().isAfter(first.updatedAt());
    }

    boolean isStockOut(String key) {
        return sent.containsKey(key);
    }

    int size() {
        return sent.size();
    }

    /** The target now holds the WMS's value of the item, {@code ms} after the cycle's start; only its first landing counts. */
    void landed(String key, long ms) {
        if (sent.containsKey(key)) {
            parked.remove(key);
            landedMs.putIfAbsent(key, Math.max(0, ms));
        }
    }

    void parked(String key) {
        StockLevel level = sent.get(key);
        if (level != null) {
            parked.put(key, level.itemNumber() + " / " + level.organizationCode());
        }
    }

    StockOutFigures figures() {
        if (sent.isEmpty()) {
            return StockOutFigures.NONE;
        }
        List<Long> times = new ArrayList<>(landedMs.values());
        times.sort(null);
        List<String> parkedItems = new ArrayList<>(parked.values());
        parkedItems.sort(null);
        return new StockOutFigures(sent.size(), times.size(), parkedItems, percentile(times, 50), percentile(times, 95), times);
    }

    /** Nearest rank: the smallest time with at least {@code p} percent of the times at or below it; null of none. */
    static Long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(1, rank) - 1);
    }

    static long since(Instant start, Instant now) {
        return now.toEpochMilli() - start.toEpochMilli();
    }
}
