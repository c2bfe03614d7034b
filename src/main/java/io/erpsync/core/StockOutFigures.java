package io.erpsync.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cycle's stock-outs (sync.priority.*): how many went first, how many landed (the target holds the
 * WMS's value), the ones that ended the cycle parked (item / organization), and their times to land from
 * the cycle's start, in ms (p50 and p95 by nearest rank; null when none landed).
 */
public record StockOutFigures(int items, int landed, List<String> parked, Long p50Ms, Long p95Ms, List<Long> landingMs) {

    public static final StockOutFigures NONE = new StockOutFigures(0, 0, List.of(), null, null, List.of());

    public StockOutFigures {
        parked = List.copyOf(parked);
        landingMs = List.copyOf(landingMs);
    }

    /** The summary's {@code stockOuts} object. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("landed", landed);
        m.put("parked", parked.size());
        if (p50Ms != null) {
            m.put("p50", p50Ms);
            m.put("p95", p95Ms);
        }
        if (!parked.isEmpty()) {
            m.put("parkedItems", parked);
        }
        return m;
    }
}
