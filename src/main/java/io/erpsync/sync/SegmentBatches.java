package io.erpsync.sync;

import io.erpsync.wms.StockLevel;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregates stock levels of one segment into a {@link Batch}, newest row per item; a batch is full
 * at the cycle's batch size (counted in distinct items, not rows).
 */
public final class SegmentBatches implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        StockLevel level = newExchange.getMessage().getBody(StockLevel.class);
        if (oldExchange == null) {
            Cycle cycle = newExchange.getProperty(Cycles.CYCLE, Cycle.class);
            Batch batch = new Batch(level.segment(), cycle);
            batch.add(level);
            newExchange.getMessage().setBody(batch);
            return newExchange;
        }
        oldExchange.getMessage().getBody(Batch.class).add(level);
        return oldExchange;
    }

    public boolean isFull(Exchange aggregated) {
        Batch batch = aggregated.getMessage().getBody(Batch.class);
        return batch != null && batch.size() >= batch.cycle().batchSize();
    }
}
