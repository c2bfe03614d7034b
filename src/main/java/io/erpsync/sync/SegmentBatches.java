package io.erpsync.sync;

import io.erpsync.wms.StockLevel;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregates stock levels of one segment into a {@link Batch}, newest row per item; a batch is full
 * at the cycle's batch size (counted in distinct items, not rows).
 */
public final class SegmentBatches implements AggregationStrategy {
    private final int lanes;

    public SegmentBatches(int lanes) {
        if (lanes < 1) {
            throw new IllegalStateException("sync.lanes must be at least 1, was " + lanes);
        }
        this.lanes = lanes;
    }

    public int lanes() {
        return lanes;
    }

    /** The lane of a batch: always the same for a segment, so no two lanes hold one item at once. */
    public int lane(Exchange batch) {
        return Math.floorMod(batch.getMessage().getBody(Batch.class).segment().hashCode(), lanes);
    }

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
