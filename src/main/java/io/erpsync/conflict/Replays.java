package io.erpsync.conflict;

import io.erpsync.store.ExceptionQueue;
import io.erpsync.store.ExceptionRow;
import io.erpsync.store.ReplayFilter;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.Cycles;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Replays OPEN exceptions through the same item route and policy as a cycle, from
 * routes/replay.camel.yaml. Each row is claimed with its version first, so two replays (two
 * operators, two nodes) never both apply one row; the WMS is re-read, so a stale quantity is never replayed.
 */
public final class Replays {
    public static final String TRIGGER = "REPLAY";
    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);

    private final Cycles cycles;
    private final ExceptionQueue queue;

    public Replays(Cycles cycles, ExceptionQueue queue) {
        this.cycles = cycles;
        this.queue = queue;
    }

    /**
     * Body: the filter text (all, item=..., class=...). Becomes the matching OPEN rows; when a cycle is
     * running the replay does not start and the body is the skipped run's summary.
     */
    public void begin(Exchange ex) {
        String text = ex.getMessage().getBody(String.class);
        ReplayFilter filter = ReplayFilter.parse(text);
        Cycle cycle = cycles.start(ex, TRIGGER, null, "replay " + (text == null ? "all" : text));
        if (cycle != null) {
            List<ExceptionRow> rows = queue.open(filter);
            LOG.info("Replay {} started: {} open exceptions match '{}'", cycle.runId(), rows.size(), text);
            ex.getMessage().setBody(rows);
        }
    }

    /** Claims one row; the item to send, or null when the row was taken by another replay or cannot be replayed. */
    public ItemUpdate claim(Exchange ex) throws InvalidPayloadException {
        ExceptionRow row = ex.getMessage().getMandatoryBody(ExceptionRow.class);
        Cycle cycle = ex.getProperty(Cycles.CYCLE, Cycle.class);
        if (row.itemNumber() == null || row.organizationCode() == null) {
            LOG.warn("Exception {} names no item and organization; fix the WMS row, the next cycle reads it", row.id());
            return null;
        }
        if (!queue.claimForReplay(row)) {
            LOG.info("Exception {} ({}) is being replayed elsewhere; left to that replay", row.id(), row.itemNumber());
            return null;
        }
        cycle.accepted();
        StockLevel parked = new StockLevel(row.itemNumber(), row.organizationCode(), row.wantedQuantity(), row.sourceUpdatedAt(),
                row.segment(), 0);
        return new ItemUpdate(cycle, ItemUpdate.Origin.REPLAY, parked, null);
    }
}
