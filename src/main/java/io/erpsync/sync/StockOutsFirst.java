package io.erpsync.sync;

import io.erpsync.core.Keys;
import io.erpsync.core.Texts;
import io.erpsync.wms.StockLevel;
import io.erpsync.wms.StockRows;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.component.jdbc.ResultSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stock-outs first (sync.priority.*), from routes/sync-cycle.camel.yaml before the main read: a read of
 * its own picks each item's newest row when that is a stock-out ({@link StockOutRule}), narrowed in the
 * database to the rows that are ({@link #query}) and checked against their items' newer rows; they go in a
 * batch per organization (hot items apart, in the hot lane), read at once and written in writes of
 * sync.priority.batch-size. The main read starts at once; its batches wait in their
 * lanes until each stock-out batch had its first try (Lanes#enter). So they reach the target before any
 * other batch of the cycle, few of them wait behind one locked neighbour, and the guarantees hold: the
 * main read leaves out the rows a stock-out batch holds (or older ones) and a newer row of an item
 * waiting for a lock round joins it (Lanes#enter), so one item is never in two requests and an older
 * value never follows a newer one. A full-compare cycle has no such pass: it compares every
 * row of the warehouse, not the ones that just changed.
 */
public final class StockOutsFirst {
    private static final Logger LOG = LoggerFactory.getLogger(StockOutsFirst.class);
    private final boolean enabled;
    private final StockOutRule rule;
    private final int batchSize;
    private final StockRows rows;
    private final SegmentBatches segments;
    private final int readSize;
    private final Duration maxWait;
    private final Clock clock;
    private final String wmsQuery;
    /** wms.query's columns (lower case), once the probe told them ({@link #columns}); null until then. */
    private volatile Set<String> columns;
    private volatile boolean narrowed = true;

    /** {@code wmsQuery}: wms.query, narrowed in the database for the stock-outs' read once its columns are known ({@link #query}). */
    public StockOutsFirst(boolean enabled, StockOutRule rule, int batchSize, StockRows rows, SegmentBatches segments, int readSize,
                          Duration maxWait, Clock clock, String wmsQuery) {
        this.wmsQuery = wmsQuery;
        if (batchSize < 1 || batchSize > BatchSize.MAX) {
            throw new IllegalStateException("sync.priority.batch-size must be between 1 and " + BatchSize.MAX + ", was " + batchSize);
        }
        this.enabled = enabled;
        this.rule = rule;
        this.batchSize = batchSize;
        this.rows = rows;
        this.segments = segments;
        this.readSize = readSize;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    /** Whether this cycle sends its stock-outs first: switched on, a cycle of changed rows, not failed. */
    public boolean enabled(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        return enabled && !cycle.fullCompare() && !cycle.failed();
    }

    /**
     * The query of the stock-outs' read (routes/wms-read.camel.yaml, property erpSyncWmsQuery): wms.query
     * narrowed in the database to the rows that are stock-outs ({@link StockOutRule#sqlCondition}), so the
     * read brings the few stock-outs, not every changed row (a candidate's item is read again for a newer row
     * that is none: {@link #newerRowsQuery}); null
     * (wms.query itself, picked here) until the probe told its columns, or after the database refused it.
     */
    public String query() {
        Set<String> known = columns;
        if (!narrowed || known == null) {
            return null;
        }
        return "SELECT * FROM (" + wmsQuery + ") wms_rows WHERE "
                + rule.sqlCondition(known.contains(StockRows.SAFETY_STOCK), known.contains(StockRows.PREVIOUS_QUANTITY));
    }

    /** Whether this process has yet to learn wms.query's columns (once, by {@link #probe}), for the narrowed read. */
    public boolean columnsUnknown() {
        return narrowed && columns == null;
    }

    /** wms.query returning no row: its columns only (camel-jdbc's CamelJdbcColumnNames header). */
    public String probe() {
        return "SELECT * FROM (" + wmsQuery + ") wms_rows WHERE 1 = 0";
    }

    /** The probe's answer: wms.query's columns; its (empty) stream is closed. */
    public void columns(@Header("CamelJdbcColumnNames") Set<String> names, @Body Object rows) throws Exception {
        close(rows);
        columns = names == null ? Set.of() : names.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The narrowed read failed: this cycle's stock-outs are picked from every row of wms.query. A refusal
     * ({@link SqlRefusal}: the wrapped query is not one the database takes) is said once and holds from now
     * on; anything else (a connection lost, a timeout) only for this cycle.
     */
    public void narrowedReadRefused(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        // why: a streamed read's SQLException comes wrapped by camel-jdbc; the database's words are in its causes
        String why = Texts.causes(e);
        if (SqlRefusal.isRefusal(e)) {
            narrowed = false;
            LOG.warn("The stock-outs' read narrowed in the database was refused ({}); they are picked from every row of wms.query from now on",
                    why);
        } else {
            LOG.warn("The stock-outs' read narrowed in the database failed ({}); this cycle picks them from every row of wms.query, the next "
                    + "narrows it again", why);
        }
    }

    /**
     * The stock-outs of the read by item: each item's newest row of the read when it is a stock-out. After
     * a narrowed read, the candidates still to be checked against their items' newer rows ({@link #newerRowsQuery}).
     */
    public Map<String, StockLevel> candidates(@Body Iterator<Map<String, Object>> wmsRows, @ExchangeProperty(Keys.CYCLE) Cycle cycle)
            throws Exception {
        return pick(wmsRows, cycle);
    }

    /**
     * After a narrowed read (which picks from the rows that are stock-outs only), wms.query narrowed to the
     * candidates' items: a newer row of one that is no stock-out takes it out again ({@link #newestOnly}), as
     * a full read would. Null after a full read, or with no candidate.
     */
    public String newerRowsQuery(@ExchangeProperty(CANDIDATES) Map<String, StockLevel> candidates, @ExchangeProperty(NARROWED) Boolean narrowedRead) {
        if (!Boolean.TRUE.equals(narrowedRead) || candidates.isEmpty()) {
            return null;
        }
        List<String> items = candidates.values().stream().map(l -> "'" + l.itemNumber().replace("'", "''") + "'").distinct().toList();
        // why: IN lists of at most IN_LIST items, as some databases take no more (Oracle: 1000)
        StringBuilder where = new StringBuilder();
        for (int from = 0; from < items.size(); from += IN_LIST) {
            where.append(from == 0 ? "" : " OR ").append("item_number IN (")
                    .append(String.join(", ", items.subList(from, Math.min(items.size(), from + IN_LIST)))).append(')');
        }
        return "SELECT * FROM (" + wmsQuery + ") wms_rows WHERE " + where;
    }

    /** Whether the stock-outs' read that just ran was the narrowed one (its query, property erpSyncWmsQuery, was this class's). */
    public Boolean narrowedRead(@ExchangeProperty("erpSyncWmsQuery") String stockOutsQuery) {
        return stockOutsQuery != null;
    }

    /** The most items in one IN list of {@link #newerRowsQuery}. */
    static final int IN_LIST = 500;

    /** The exchange property that says this cycle's stock-outs' read was narrowed (so its candidates' items are read again). */
    public static final String NARROWED = "erpSyncStockOutsNarrowed";

    /**
     * The candidates' items could not be read again: none goes first this cycle (the main read writes every
     * row in order, so nothing is lost and no older value goes first); a refusal ({@link SqlRefusal}) also
     * ends the narrowed read from now on.
     */
    public Map<String, StockLevel> candidatesUnchecked(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e,
                                                       @ExchangeProperty(CANDIDATES) Map<String, StockLevel> candidates) {
        boolean refused = SqlRefusal.isRefusal(e);
        if (refused) {
            narrowed = false;
        }
        LOG.warn("The stock-outs' items could not be read again for newer rows ({}); the {} stock-outs do not go first this cycle{}",
                e.getMessage(), candidates.size(), refused ? ", and they are picked from every row of wms.query from now on" : "");
        return new LinkedHashMap<>();
    }

    /** The candidates' items' rows: a candidate with a newer row of its item (no stock-out, or the narrowed read had it) goes out. */
    public Map<String, StockLevel> newestOnly(@Body Iterator<Map<String, Object>> itemRows, @ExchangeProperty(CANDIDATES) Map<String, StockLevel> candidates,
                                              @ExchangeProperty(Keys.CYCLE) Cycle cycle) throws Exception {
        long n = 0;
        try {
            while (itemRows.hasNext()) {
                Map<String, Object> raw = itemRows.next();
                StockLevel level = rows.read(raw, ++n).level();
                StockLevel candidate = level == null ? null : candidates.get(level.key());
                // why: by time only; the row numbers of two reads say nothing of each other (the candidate's own row ties).
                // A row of the same time that is no stock-out may come after it in wms.query's order: the candidate goes out
                if (candidate != null && level.updatedAt() != null && (candidate.updatedAt() == null || level.updatedAt().isAfter(candidate.updatedAt())
                        || level.updatedAt().equals(candidate.updatedAt()) && !goesFirst(raw, level, cycle))) {
                    candidates.remove(level.key());
                }
            }
        } finally {
            close(itemRows);
        }
        return candidates;
    }

    /** The exchange property holding the candidates between the reads. */
    public static final String CANDIDATES = "erpSyncStockOuts";

    /** The stock-outs of the read, in batches for their lanes; the run answers for each of their items from now on. */
    public List<Batch> batches(@ExchangeProperty(CANDIDATES) Map<String, StockLevel> first, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        // one batch per organization (one wide read; hot items apart, in the hot lane), in the lane of its
        // first item's segment; any lane keeps the guarantees, as the other batches wait for their first try
        Map<String, List<StockLevel>> byBatchKey = new LinkedHashMap<>();
        Map<String, String> laneOf = new LinkedHashMap<>();
        for (StockLevel level : first.values()) {
            String segmentKey = segments.key(level, cycle);
            String lane = segments.fixedLane(segmentKey, cycle);
            String key = (lane.endsWith(SegmentBatches.HOT_LANE) ? lane + "|" : "") + level.organizationCode();
            byBatchKey.computeIfAbsent(key, k -> new ArrayList<>()).add(level);
            laneOf.putIfAbsent(key, lane);
        }
        List<Batch> out = new ArrayList<>();
        byBatchKey.forEach((key, levels) -> {
            for (int from = 0; from < levels.size(); from += readSize) {
                // why: a second target's lanes are named "storefront-0": its stock-outs adapt under a label of their own
                String lane = laneOf.get(key);
                Batch batch = Batch.ofStockOuts(cycle, "stock-outs of " + lane.substring(0, lane.lastIndexOf('-') + 1) + key, lane, batchSize);
                for (StockLevel level : levels.subList(from, Math.min(levels.size(), from + readSize))) {
                    cycle.stockOuts().sent(level);
                    batch.add(level);
                }
                out.add(batch);
            }
        });
        cycle.accepted(first.size());
        cycle.stockOutBatchesSent(out.size(), maxWait);
        if (!first.isEmpty()) {
            LOG.info("Cycle {}: {} stock-outs go first, {} ms after the cycle's start, in {} batches", cycle.runId(), first.size(),
                    StockOuts.since(cycle.startedAt(), clock.instant()), out.size());
        }
        return out;
    }

    /**
     * Each item's newest row of the read when it is a stock-out: a later row of the item that is not one
     * takes it out again. Rows the main read rejects (invalid) are left to it.
     */
    Map<String, StockLevel> pick(Iterator<Map<String, Object>> wmsRows, Cycle cycle) throws Exception {
        Map<String, StockLevel> first = new LinkedHashMap<>();
        long n = 0;
        try {
            while (wmsRows.hasNext()) {
                Map<String, Object> raw = wmsRows.next();
                StockLevel level = rows.read(raw, ++n).level();
                if (level == null || cycle.hasNewerRow(level)) {
                    continue;
                }
                StockLevel had = first.get(level.key());
                if (goesFirst(raw, level, cycle)) {
                    if (had == null || level.isNewerThan(had)) {
                        first.put(level.key(), level);
                    }
                } else if (had != null && level.isNewerThan(had)) {
                    first.remove(level.key());
                }
            }
        } finally {
            close(wmsRows);
        }
        return first;
    }

    private boolean goesFirst(Map<String, Object> raw, StockLevel level, Cycle cycle) {
        return rule.goesFirst(level.quantity(), optional(raw, StockRows.SAFETY_STOCK, level, cycle),
                optional(raw, StockRows.PREVIOUS_QUANTITY, level, cycle));
    }

    /** An optional column's number; a value that is not one is logged naming the row, and the row is judged without it. */
    private static BigDecimal optional(Map<String, Object> raw, String column, StockLevel level, Cycle cycle) {
        try {
            return StockRows.optionalNumber(raw, column);
        } catch (IllegalArgumentException e) {
            LOG.warn("Cycle {}: WMS row {} (item {}, organization {}): {}; the row is judged without it", cycle.runId(), level.rowNumber(),
                    level.itemNumber(), level.organizationCode(), e.getMessage());
            return null;
        }
    }

    /**
     * A read's rows are done with: its statement and connection go back now, not at the end of the
     * cycle's exchange (camel-jdbc's stream closes them by itself only once read to its end).
     */
    private static void close(Object rows) throws Exception {
        if (rows instanceof ResultSetIterator stream) {
            stream.close();
            stream.closeConnection();
        } else if (rows instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The lane a batch of stock-outs goes to. */
    public String lane(@Body Batch batch) {
        return batch.lane();
    }
}
