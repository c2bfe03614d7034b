package io.erpsync.bom;

import io.erpsync.core.Keys;
import io.erpsync.store.ExceptionRow;
import io.erpsync.sync.Cycle;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Replay and release on the BOM side, as {@code Replays} is on the stock side: a parked change is
 * read again from the inbox (routes/bom-change-again.camel.yaml) and goes to its bill's lane in the
 * replay run; an operator releases a bill held for a change order.
 */
public final class BomReplays {
    private static final Logger LOG = LoggerFactory.getLogger(BomReplays.class);

    private final BomChanges changes;
    private final BomHolds holds;
    private final Clock clock;

    BomReplays(BomChanges changes, BomHolds holds, Clock clock) {
        this.changes = changes;
        this.holds = holds;
        this.clock = clock;
    }

    /** The parameters of bom.change-query for a parked change: :?change, and :?since from the beginning. */
    public void replayParameters(@ExchangeProperty("exceptionRow") ExceptionRow row, @Headers Map<String, Object> headers) {
        headers.clear();
        headers.put("change", row.changeId());
        headers.put("since", Timestamp.from(Instant.EPOCH));
    }

    /**
     * A parked change read again from the inbox (its newest content: a requester may have corrected
     * it), for its bill's lane in the replay run; null when the inbox no longer has it (parked again).
     */
    public BomWork replayWork(@Body List<Map<String, Object>> found, @ExchangeProperty("exceptionRow") ExceptionRow row,
                              @ExchangeProperty(Keys.CYCLE) Cycle run) {
        run.accepted(1);
        return changes.again(found, row, run);
    }

    /**
     * An operator releases a held bill (JMX): its later changes go through again; the held ones wait
     * for a replay, which applies them in request order (and each change that waited for one of them right after it).
     */
    public boolean release(long billId, String by) {
        boolean released = holds.release(billId, by, clock.instant());
        if (released) {
            LOG.warn("BOM: bill {} released by {}; replay class=NEEDS_CHANGE_ORDER to apply its held changes", billId, by);
        }
        return released;
    }

    public List<BomHolds.Hold> held() {
        return holds.held();
    }
}
