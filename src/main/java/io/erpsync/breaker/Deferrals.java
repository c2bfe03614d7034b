package io.erpsync.breaker;

import io.erpsync.sync.Batch;
import io.erpsync.sync.Cycle;
import io.erpsync.wms.StockLevel;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker's fallback: when the breaker is open, the batch or hot item is deferred, not
 * parked and not lost, and left for the next cycle below the watermark. A call that failed (the ERP
 * failed it past its retries) reaches here too, already parked: nothing more to do.
 */
public final class Deferrals {
    private static final Logger LOG = LoggerFactory.getLogger(Deferrals.class);

    /**
     * Whatever of the batch or hot item has no outcome yet is deferred: with the breaker open nothing
     * ran; after a failed call everything was already parked and settled, so nothing is left.
     */
    public void fallback(Exchange ex) {
        Object body = ex.getMessage().getBody();
        if (body instanceof Batch batch) {
            int n = 0;
            for (StockLevel level : batch.unsettledLevels()) {
                batch.cycle().deferred(level.updatedAt(), 1);
                n++;
            }
            batch.settleAllWithoutOutcome();
            if (n > 0) {
                LOG.warn("Cycle {}: ERP circuit breaker open, {} items of segment {} deferred to the next cycle", batch.cycle().runId(),
                        n, batch.segment());
            }
        } else if (body instanceof StockLevel level) {
            // the hot lane: the breaker refused before the row became an item update
            Cycle cycle = ex.getProperty(io.erpsync.sync.Cycles.CYCLE, Cycle.class);
            cycle.deferred(level.updatedAt(), 1);
            cycle.settled(1);
            LOG.warn("Cycle {}: ERP circuit breaker open, hot item {} deferred to the next cycle", cycle.runId(), level.itemNumber());
        }
    }
}
