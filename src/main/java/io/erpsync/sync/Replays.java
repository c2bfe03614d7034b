package io.erpsync.sync;

import io.erpsync.core.FailureClass;
import io.erpsync.core.Keys;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.ReplayFilter;
import io.erpsync.wms.StockLevel;
import io.erpsync.wms.StockRows;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Replays OPEN exceptions from routes/replay.camel.yaml. Each row is claimed with its version first,
 * so two replays (two operators, two nodes) never both apply one row; the item's newest WMS row is
 * read again, so a stale quantity is never replayed; then the items go in batches through the same
 * lanes, reads, writes and lock rounds as a cycle.
 */
public final class Replays {
    /** Property: the exception row being replayed. */
    public static final String ROW = "exceptionRow";
    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);

    private final Cycles cycles;
    private final ExceptionQueue queue;
    private final StockRows rows;
    private final Parking parking;

    public Replays(Cycles cycles, ExceptionQueue queue, StockRows rows, Parking parking) {
        this.cycles = cycles;
        this.queue = queue;
        this.rows = rows;
        this.parking = parking;
    }

    /** Starts a replay run for a filter (all, id=..., item=..., class=...): the run, or the summary of a skipped one. */
    public Object begin(@Body String filter, @Header(Keys.TARGET) String target) {
        String[] split = splitTarget(filter);
        Replays own = cycles.of(target != null ? target : split[0]).replays(this);
        return own.beginHere(split[1]);
    }

    /**
     * A filter's target term ({@code target=storefront}, with the other terms or alone) apart from the
     * rest: {target or null, the rest or "all"}. The exception rows a replay takes are its target's.
     */
    public static String[] splitTarget(String filter) {
        if (filter == null) {
            return new String[] {null, "all"};
        }
        String target = null;
        List<String> rest = new ArrayList<>();
        for (String part : filter.split(",")) {
            String p = part.trim();
            String[] kv = p.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("target")) {
                target = kv[1].trim();
            } else if (!p.isEmpty()) {
                rest.add(p);
            }
        }
        return new String[] {target, rest.isEmpty() ? "all" : String.join(",", rest)};
    }

    private Object beginHere(String filter) {
        ReplayFilter.parse(filter);
        return cycles.start(Cycle.REPLAY, null, "replay " + (filter == null ? "all" : filter));
    }

    /**
     * The OPEN rows the filter matches: stock items oldest first, then BOM changes in request order
     * (a bill's chain of changes only merges in the order it was requested, whenever each was parked).
     */
    public List<ExceptionRow> rows(@ExchangeProperty(Keys.CYCLE) Cycle cycle, @Header(FILTER) String filter) {
        if (own(cycle) != this) {
            return own(cycle).rows(cycle, filter);
        }
        List<ExceptionRow> open = new ArrayList<>(queue.open(ReplayFilter.parse(splitTarget(filter)[1])));
        open.sort(Comparator.comparing(ExceptionRow::isBom).thenComparing(r -> r.isBom() ? r.sourceUpdatedAt() : null,
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(r -> r.isBom()
                ? r.changeId() : null, Comparator.nullsFirst(Comparator.<Long>naturalOrder())));
        LOG.info("Replay {} started: {} open exceptions match '{}'", cycle.runId(), open.size(), filter);
        return open;
    }

    private Replays own(Cycle cycle) {
        TargetLine l = cycle.line();
        return l == null ? this : l.replays();
    }

    /** Header: the replay filter as given. */
    public static final String FILTER = "replayFilter";

    /** Claims a row for this replay; false when another replay has it, or it names no item to replay. */
    public boolean claim(@Body ExceptionRow row, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        if (row.isBom() && row.changeId() == null) {
            LOG.warn("Exception {} names no BOM change; fix the inbox row, the next BOM cycle reads it", row.id());
            return false;
        }
        if (!row.isBom() && (row.itemNumber() == null || row.organizationCode() == null)) {
            LOG.warn("Exception {} names no item and organization; fix the WMS row, the next cycle reads it", row.id());
            return false;
        }
        if (!queue.claimForReplay(row)) {
            LOG.info("Exception {} ({}) is being replayed elsewhere; left to that replay", row.id(), row.itemNumber());
            return false;
        }
        // why: a row without an outcome when the replay ends (it failed, the item could not be sent) is opened again
        cycle.claimed(row.id());
        return true;
    }

    /** Whether the row is a BOM change (replayed through its bill's lane) rather than a stock item. */
    public boolean isBom(@Body ExceptionRow row) {
        return row.isBom();
    }

    /** The parameters of wms.item-query for the row's item. */
    public void wmsParameters(@Body ExceptionRow row, @Headers Map<String, Object> headers) {
        StockRows.itemQueryParameters(row.itemNumber(), row.organizationCode(), headers);
    }

    /**
     * The item as the WMS wants it now: its newest valid row (never the parked, possibly stale, value),
     * or the parked value when the WMS has no newer valid row. With neither, it is parked again as INVALID_ROW.
     */
    public Object newest(@Body List<Map<String, Object>> found, @ExchangeProperty(ROW) ExceptionRow row,
                         @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        if (own(cycle) != this) {
            return own(cycle).newest(found, row, cycle);
        }
        cycle.accepted(1);
        StockLevel newest = row.wantedQuantity() == null ? null
                : new StockLevel(row.itemNumber(), row.organizationCode(), row.wantedQuantity(), row.sourceUpdatedAt(), row.segment(), 0);
        StockLevel l = rows.newest(found);
        if (l != null && (newest == null || newest.updatedAt() == null || l.updatedAt().isAfter(newest.updatedAt()))) {
            newest = new StockLevel(l.itemNumber(), l.organizationCode(), l.quantity(), l.updatedAt(), row.segment(), l.rowNumber());
        }
        if (newest == null) {
            StockLevel none = new StockLevel(row.itemNumber(), row.organizationCode(), null, row.sourceUpdatedAt(), row.segment(), 0);
            parking.park(cycle, none, FailureClass.INVALID_ROW, "The WMS has no valid quantity for " + row.itemNumber() + " in "
                    + row.organizationCode(), null, null, null);
            cycle.settled(1);
            return row;
        }
        if (newest.updatedAt() == null || !newest.updatedAt().equals(row.sourceUpdatedAt())) {
            LOG.info("{} / {}: the WMS now wants {} (from {}), not the parked {}", row.itemNumber(), row.organizationCode(),
                    newest.quantity(), newest.updatedAt(), row.wantedQuantity());
        }
        return newest;
    }

    /** Whether the replayed item goes to the ERP (it has a quantity to send). */
    public boolean sendable(@Body Object item) {
        return item instanceof StockLevel;
    }
}
