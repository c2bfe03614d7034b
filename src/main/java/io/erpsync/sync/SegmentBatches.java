package io.erpsync.sync;

import io.erpsync.core.Keys;
import io.erpsync.wms.StockLevel;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

/**
 * Groups a run's rows into {@link Batch}es for routes/segment-batches.camel.yaml: by segment
 * (organization first), newest row per item, full at the run's batch size counted in distinct items.
 * Items that met conflicts lately (hot items) are grouped apart, per organization, for the hot lane.
 * A segment always takes the same lane, so two lanes never hold one item at once.
 */
public final class SegmentBatches implements AggregationStrategy {
    public static final String HOT_LANE = "hot";
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

    /** The batch a row joins: its segment, or hot|organization for an item that met conflicts lately. */
    public String key(@Body StockLevel level, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        return cycle.isHot(level.key()) ? HOT_LANE + "|" + level.organizationCode() : level.segment();
    }

    private String laneOf(String key) {
        return key.startsWith(HOT_LANE + "|") ? HOT_LANE : String.valueOf(Math.floorMod(key.hashCode(), lanes));
    }

    @Override
    public Exchange aggregate(Exchange batchSoFar, Exchange row) {
        StockLevel level = row.getMessage().getBody(StockLevel.class);
        if (batchSoFar == null) {
            Cycle cycle = row.getProperty(Keys.CYCLE, Cycle.class);
            String key = key(level, cycle);
            Batch batch = new Batch(cycle, key, laneOf(key), 0);
            batch.add(level);
            row.getMessage().setBody(batch);
            return row;
        }
        batchSoFar.getMessage().getBody(Batch.class).add(level);
        return batchSoFar;
    }

    public boolean isFull(@Body Batch batch) {
        return batch != null && batch.size() >= batch.cycle().batchSize();
    }
}
