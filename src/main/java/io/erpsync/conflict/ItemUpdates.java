package io.erpsync.conflict;

import io.erpsync.erp.ErpAnswer;
import io.erpsync.erp.ErpJson;
import io.erpsync.erp.ErpRequest;
import io.erpsync.erp.ItemQuery;
import io.erpsync.erp.ItemSnapshot;
import io.erpsync.store.ExceptionQueue;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.Cycles;
import io.erpsync.sync.FailureClass;
import io.erpsync.wms.StockLevel;
import io.erpsync.wms.StockRows;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One item on its own, from routes/item-update.camel.yaml: read it fresh, take the newest WMS
 * quantity, merge our one field into the ERP's current version and PATCH it with If-Match. A stale
 * ETag or "resource modified" starts another round, up to sync.retry.stale-attempts.
 */
public final class ItemUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(ItemUpdates.class);

    private final Parking parking;
    private final ExceptionQueue queue;
    private final StockRows rows;
    private final Retries retries;
    private final String itemQuery;
    private final Clock clock;

    public ItemUpdates(Parking parking, ExceptionQueue queue, StockRows rows, Retries retries, String itemQuery, Clock clock) {
        this.parking = parking;
        this.queue = queue;
        this.rows = rows;
        this.retries = retries;
        this.itemQuery = itemQuery;
        this.clock = clock;
    }

    /** A hot item straight from the WMS read: it goes alone, never in a batch it could roll back. */
    public ItemUpdate hot(Exchange ex) throws InvalidPayloadException {
        return new ItemUpdate(ex.getProperty(Cycles.CYCLE, Cycle.class), ItemUpdate.Origin.HOT,
                ex.getMessage().getMandatoryBody(StockLevel.class), null);
    }

    public void start(Exchange ex) throws InvalidPayloadException {
        ItemUpdate u = ex.getMessage().getMandatoryBody(ItemUpdate.class);
        ex.setProperty(Parking.ITEM, u);
        ex.setProperty(Cycles.CYCLE, u.cycle());
    }

    public boolean pending(Exchange ex) {
        return !item(ex).done();
    }

    /**
     * A fresh read of the item unless the version in hand is current (a stale part brings the current
     * one back): a single GET when its ItemId is known, else a collection read by number (a replay).
     */
    public ErpRequest readRequest(Exchange ex) {
        ItemUpdate u = item(ex);
        if (u.snapshot() != null) {
            return null;
        }
        if (u.itemId() != null) {
            return ErpRequest.get(ErpRequest.VERSION_ROOT + "/items/" + u.itemId(), null);
        }
        return ItemQuery.forItems(u.level().organizationCode(), List.of(u.level().itemNumber()));
    }

    public void reread(Exchange ex) throws InvalidPayloadException {
        ItemUpdate u = item(ex);
        ErpAnswer answer = ex.getMessage().getMandatoryBody(ErpAnswer.class);
        StockLevel level = u.level();
        ItemSnapshot found;
        if (u.itemId() != null) {
            found = ErpJson.item(answer);
        } else {
            found = ErpJson.items(answer).items().stream()
                    .filter(s -> s.itemNumber().equals(level.itemNumber()) && level.organizationCode().equals(s.organizationCode()))
                    .findFirst().orElse(null);
        }
        if (found == null) {
            parking.park(u, FailureClass.UNKNOWN_ITEM, "The ERP has no item " + level.itemNumber() + " in organization "
                    + level.organizationCode(), 200, null, null);
        } else {
            u.snapshot(found);
        }
    }

    /** The newest WMS row of the item: wms.item-query with :?item, :?org and :?since (the epoch). */
    public String wmsQuery(Exchange ex) {
        StockLevel level = item(ex).level();
        ex.getMessage().getHeaders().clear();
        ex.getMessage().setHeader("item", level.itemNumber());
        ex.getMessage().setHeader("org", level.organizationCode());
        ex.getMessage().setHeader("since", Timestamp.from(Instant.EPOCH));
        return itemQuery;
    }

    /**
     * Our change against the ERP's current version: only OnhandQuantity, from the newest WMS row.
     * Returns the PATCH, or null when the ERP already holds that quantity (or the item was parked).
     */
    @SuppressWarnings("unchecked")
    public ErpRequest merge(Exchange ex) {
        ItemUpdate u = item(ex);
        List<Map<String, Object>> found = ex.getMessage().getBody(List.class);
        StockLevel newest = newestValid(found == null ? List.of() : found, u.level());
        if (newest != u.level()) {
            LOG.info("{} / {}: the WMS has a newer quantity {} (from {}), which replaces {}", newest.itemNumber(),
                    newest.organizationCode(), newest.quantity(), newest.updatedAt(), u.level().quantity());
            u.level(newest);
        }
        StockLevel level = u.level();
        if (level.quantity() == null) {
            parking.park(u, FailureClass.INVALID_ROW, "The WMS has no valid quantity for " + level.itemNumber() + " in "
                    + level.organizationCode(), null, null, null);
            return null;
        }
        ItemSnapshot snap = u.snapshot();
        if (snap.onhandQuantity() != null && snap.onhandQuantity().compareTo(level.quantity()) == 0) {
            succeed(u, Cycle.Outcome.UNCHANGED);
            return null;
        }
        return new ErpRequest("PATCH", ErpRequest.VERSION_ROOT + "/items/" + snap.itemId(), null, "application/json",
                "{\"OnhandQuantity\":" + level.quantity().toPlainString() + "}", snap.changeIndicator());
    }

    private StockLevel newestValid(List<Map<String, Object>> found, StockLevel current) {
        StockLevel newest = current;
        for (int i = 0; i < found.size(); i++) {
            StockRows.Result r = rows.read(found.get(i), i + 1);
            StockLevel l = r.level();
            if (l != null && (newest.quantity() == null || newest.updatedAt() == null || l.updatedAt().isAfter(newest.updatedAt()))) {
                newest = new StockLevel(l.itemNumber(), l.organizationCode(), l.quantity(), l.updatedAt(), current.segment(), l.rowNumber());
            }
        }
        return newest;
    }

    /** The onException clause for 412 and 409 "modified" notes the conflict here and lets the route continue. */
    public void conflicted(Exchange ex) {
        item(ex).conflict(ErpFailure.of(Parking.caught(ex)));
    }

    /** After the PATCH: done, or another round with a fresh read when the version was stale. */
    public void written(Exchange ex) {
        ItemUpdate u = item(ex);
        ErpFailure conflict = u.takeConflict();
        if (conflict == null) {
            succeed(u, Cycle.Outcome.UPDATED);
            return;
        }
        int round = u.nextStaleRound();
        if (round >= retries.staleAttempts()) {
            parking.park(u, conflict.failureClass(), "The item kept changing in the ERP: " + round
                    + " re-read and merge rounds all met a newer version (" + conflict.erpMessage() + ")",
                    conflict.statusOrNull(), conflict.erpMessage(), null);
        } else {
            u.snapshot(null);
        }
    }

    private void succeed(ItemUpdate u, Cycle.Outcome outcome) {
        StockLevel level = u.level();
        queue.settle(Map.of(ExceptionQueue.key(level.itemNumber(), level.organizationCode()), level.updatedAt()), clock.instant());
        if (!u.done()) {
            u.cycle().counted(outcome, 1);
            u.finish();
        }
    }

    private static ItemUpdate item(Exchange ex) {
        return ex.getProperty(Parking.ITEM, ItemUpdate.class);
    }

}
