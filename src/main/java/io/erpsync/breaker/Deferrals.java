package io.erpsync.breaker;

import io.erpsync.conflict.ItemUpdate;
import io.erpsync.conflict.Parking;
import io.erpsync.sync.Batch;
import io.erpsync.sync.BatchPush;
import io.erpsync.sync.Cycle;
import io.erpsync.sync.FailureClass;
import io.erpsync.wms.StockLevel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker's two ends. Inside it, {@link #verdict} turns "the ERP failed this past its
 * retries" into a failed call. Its fallback, {@link #fallback}, defers the batch or item when the
 * breaker is open: not parked, not lost, left for the next cycle below the watermark.
 */
public final class Deferrals {
    private static final Logger LOG = LoggerFactory.getLogger(Deferrals.class);

    public void verdict(Exchange ex) {
        Batch batch = ex.getProperty(BatchPush.BATCH, Batch.class);
        ItemUpdate item = ex.getProperty(Parking.ITEM, ItemUpdate.class);
        FailureClass gaveUp = batch != null ? batch.gaveUp() : item != null ? item.gaveUp() : null;
        if (gaveUp != null) {
            throw new ErpGaveUp("the ERP failed the call past its retries: " + gaveUp);
        }
    }

    /** Open breaker: defer. A failed call (already parked) needs nothing more. */
    public void fallback(Exchange ex) {
        Throwable t = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!(t instanceof CallNotPermittedException)) {
            return;
        }
        Object body = ex.getMessage().getBody();
        if (body instanceof Batch batch) {
            for (StockLevel level : batch.unsettledLevels()) {
                batch.cycle().deferred(level.updatedAt(), 1);
            }
            batch.settleAllWithoutOutcome();
            LOG.warn("Cycle {}: ERP circuit breaker open, {} items of segment {} deferred to the next cycle", batch.cycle().runId(),
                    batch.size(), batch.segment());
        } else if (body instanceof StockLevel level) {
            // the hot lane: the breaker refused before the item left the WMS row
            Cycle cycle = ex.getProperty(io.erpsync.sync.Cycles.CYCLE, Cycle.class);
            cycle.deferred(level.updatedAt(), 1);
            cycle.settled(1);
            LOG.warn("Cycle {}: ERP circuit breaker open, hot item {} deferred to the next cycle", cycle.runId(), level.itemNumber());
        }
    }
}
