package io.erpsync.sync;

import io.erpsync.core.Keys;
import io.erpsync.target.LaneKeys;
import io.erpsync.target.Target;
import io.erpsync.wms.StockLevel;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a run's rows into {@link Batch}es for routes/segment-batches.camel.yaml: by segment
 * (organization first), newest row per item, full at sync.read-size distinct items (one collection
 * read; the writes go in batches of the run's batch size). Items that met conflicts lately (hot items)
 * are grouped apart, per organization, for the hot lane, where the target allows it. A segment's batch
 * (the target's lane key, {@link LaneKeys}) fills for any lane and takes one as it is handed over
 * ({@link LaneLoads}: the lane of its segment's batch still in one, so two lanes never hold one item at
 * once and a segment's batches go in order; else the lane with the fewest rows waiting). A lane with
 * nothing to do takes the fullest batch filling that may go to it at once, so the lanes work from the first rows.
 */
public final class SegmentBatches implements AggregationStrategy {
    public static final String HOT_LANE = "hot";
    private final LaneKeys laneKeys;
    private final int lanes;
    private final int readSize;

    public SegmentBatches(Target target, int lanes, int readSize) {
        this(target, lanes, readSize, "");
    }

    private final String lanePrefix;

    /** {@code lanePrefix}: before each lane's name, so that each target has lanes of its own ("storefront-" gives lane-storefront-0). */
    public SegmentBatches(Target target, int lanes, int readSize, String lanePrefix) {
        this.lanePrefix = lanePrefix;
        if (lanes < 1) {
            throw new IllegalStateException("sync.lanes must be at least 1, was " + lanes);
        }
        int most = target.reads().maxItems();
        if (readSize < 1 || readSize > most) {
            throw new IllegalStateException("sync.read-size must be between 1 and " + most + ", was " + readSize);
        }
        this.laneKeys = target.lanes();
        this.lanes = lanes;
        this.readSize = readSize;
    }

    public int lanes() {
        return lanes;
    }

    /** The lane names of this target: its prefix and 0 .. lanes-1, then its hot lane. */
    public List<String> laneNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            out.add(lanePrefix + i);
        }
        out.add(lanePrefix + HOT_LANE);
        return out;
    }

    private SegmentBatches own(Cycle cycle) {
        TargetLine l = cycle.line();
        return l == null ? this : l.batches();
    }

    /** The batch a row joins: lane|lane key (the segment), or hot|organization for an item that met conflicts lately. */
    String key(StockLevel level, Cycle cycle) {
        if (own(cycle) != this) {
            // a run of another target (stock-outs first asks the routes' bean): that target's lanes
            return own(cycle).key(level, cycle);
        }
        if (laneKeys.hotItemsApart() && cycle.isHot(level.key())) {
            return lanePrefix + HOT_LANE + "|" + level.organizationCode();
        }
        // the lane is taken as the batch is handed over (LaneLoads): the lanes share the segments' work
        return lanePrefix + LaneLoads.ANY + "|" + laneKeys.laneKey(level);
    }

    /**
     * The lane of a batch of another kind (stock-outs first) for the segment batch key {@code key}: a
     * fixed lane per segment for the run, the one with the fewest segments so far, or the hot lane.
     */
    String fixedLane(String key, Cycle cycle) {
        if (own(cycle) != this) {
            return own(cycle).fixedLane(key, cycle);
        }
        String lane = laneOf(key);
        return lane.endsWith(LaneLoads.ANY) ? lanePrefix + cycle.laneOf(key.substring(key.indexOf('|') + 1), lanes) : lane;
    }

    /** The lanes the segments share: the prefix and 0 .. lanes-1. */
    private List<String> sharedLanes() {
        return laneNames().subList(0, lanes);
    }

    /**
     * A chunk of valid rows, grouped by the batch each joins (in read order), a tenth of a batch at
     * most per group (a group's rows beyond a batch's capacity start the next one: addUpToCapacity).
     */
    public List<SegmentRows> group(@Body List<StockLevel> levels, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        if (own(cycle) != this) {
            return own(cycle).group(levels, cycle);
        }
        int most = Math.max(1, capacity(cycle) / 10);
        Map<String, List<StockLevel>> byKey = new LinkedHashMap<>();
        List<SegmentRows> out = new ArrayList<>();
        for (StockLevel level : levels) {
            String key = key(level, cycle);
            List<StockLevel> group = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            group.add(level);
            if (group.size() == most) {
                out.add(new SegmentRows(key, group));
                byKey.remove(key);
            }
        }
        byKey.forEach((k, v) -> out.add(new SegmentRows(k, v)));
        return out;
    }

    /** Items a batch holds at most: sync.read-size (one collection read), or the batch size when that is larger. */
    private int capacity(Cycle cycle) {
        return Math.max(readSize, cycle.batchSize());
    }

    /** One valid row (a replayed item) on its way to its batch. */
    public SegmentRows one(@Body StockLevel level, @ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        if (own(cycle) != this) {
            return own(cycle).one(level, cycle);
        }
        return new SegmentRows(key(level, cycle), List.of(level));
    }

    /** The correlation of segment-batches: the batch the rows join. */
    public String key(@Body SegmentRows rows) {
        return rows.key();
    }

    private static String laneOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    @Override
    public Exchange aggregate(Exchange batchSoFar, Exchange rows) {
        SegmentRows group = rows.getMessage().getBody(SegmentRows.class);
        if (batchSoFar == null) {
            Cycle cycle = rows.getProperty(Keys.CYCLE, Cycle.class);
            Batch batch = new Batch(cycle, group.key(), laneOf(group.key()), 0);
            addUpToCapacity(batch, withRest(group, cycle));
            cycle.laneLoads().filling(batch);
            rows.getMessage().setBody(batch);
            return takenNowWhenEmpty(rows, group, false);
        }
        Batch batch = batchSoFar.getMessage().getBody(Batch.class);
        addUpToCapacity(batch, withRest(group, batch.cycle()));
        return takenNowWhenEmpty(batchSoFar, group, rows.getProperty(TAKE, false, Boolean.class));
    }

    /**
     * The group's rows after the rows its segment's last batch left (Cycle#takeRest): those are older, and a
     * newer row of one of their items must not reach the target first, in an earlier batch.
     */
    private static SegmentRows withRest(SegmentRows group, Cycle cycle) {
        List<StockLevel> rest = cycle.takeRest(group.key());
        if (rest.isEmpty()) {
            return group;
        }
        List<StockLevel> all = new ArrayList<>(rest);
        all.addAll(group.levels());
        return new SegmentRows(group.key(), all);
    }

    /**
     * The group's rows join the batch up to its capacity (one collection read); the rows beyond start the
     * segment's next batch (Cycle.rest), so that a full batch is a whole read and whole writes (issue 23).
     */
    private void addUpToCapacity(Batch batch, SegmentRows group) {
        int capacity = own(batch.cycle()).capacity(batch.cycle());
        List<StockLevel> levels = group.levels();
        List<StockLevel> rest = new ArrayList<>();
        for (StockLevel level : levels) {
            if (rest.isEmpty() && (batch.size() < capacity || batch.holds(level))) {
                batch.add(level);
            } else {
                rest.add(level);
            }
        }
        if (!rest.isEmpty()) {
            batch.cycle().rest(new SegmentRows(group.key(), rest));
        }
    }

    /**
     * Rows of none are an idle lane's take (takenByIdleLanes): Camel completes the group. Had the group
     * just completed otherwise, the new one holds nothing and segment-batches sends nothing.
     */
    private static Exchange takenNowWhenEmpty(Exchange aggregated, SegmentRows group, boolean idleLanesTake) {
        if (group.levels().isEmpty()) {
            Batch batch = aggregated.getMessage().getBody(Batch.class);
            int writeSize = batch.cycle().batchSize();
            if (idleLanesTake && batch.size() > writeSize && batch.size() % writeSize != 0) {
                // why: whole writes only; the rows beyond start the segment's next batch, not a short write
                batch.cycle().rest(new SegmentRows(group.key(), batch.keepFirst(batch.size() / writeSize * writeSize)));
            }
            aggregated.setProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, true);
        }
        return aggregated;
    }

    /** The property that marks a message of no rows as an idle lane's take (not the read's end: that sends a batch whole). */
    public static final String TAKE = "erpSyncIdleLanesTake";

    /** After a chunk: the rows its full batches and idle lanes' takes left, each to its segment's next batch. */
    public List<SegmentRows> rests(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        return cycle.rests();
    }

    /** The batch is complete, however it completed: it leaves for its lane, which now counts it as its own. */
    @Override
    public void onCompletion(Exchange exchange) {
        // why: the exchange goes on to its lane and on to lock-rounds, another aggregator that reads the same property
        exchange.removeProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP);
        Batch batch = exchange.getMessage().getBody(Batch.class);
        if (batch != null) {
            batch.cycle().laneLoads().handed(batch, own(batch.cycle()).sharedLanes());
        }
    }

    /** Full at its capacity: one whole collection read (the rows beyond start the next batch, addUpToCapacity). */
    public boolean isFull(@Body Batch batch) {
        if (batch == null) {
            return false;
        }
        if (own(batch.cycle()) != this) {
            return own(batch.cycle()).isFull(batch);
        }
        return batch.size() >= capacity(batch.cycle());
    }

    /**
     * The end of the run's read (or replay): a message of no rows for each of its batches still filling,
     * on which {@link #aggregate} completes it. Only the run's own: another target's cycle may be filling
     * its batches at the same time, and they are not due yet.
     */
    public List<SegmentRows> tails(@ExchangeProperty(Keys.CYCLE) Cycle cycle) {
        // also the segments with rows left and no batch: the message of no rows starts one with them (withRest)
        return java.util.stream.Stream.concat(cycle.laneLoads().stillFilling().stream(), cycle.restKeys().stream()).distinct()
                .map(key -> new SegmentRows(key, List.of())).toList();
    }

    /**
     * After a chunk of rows joined their batches: for each lane with nothing to do, the fullest batch
     * filling for it, as a message of no rows on which {@link #aggregate} completes that group (the busy-lane rule, LaneLoads).
     */
    public List<SegmentRows> takenByIdleLanes(@ExchangeProperty(Keys.CYCLE) Cycle cycle,
                                              @ExchangeProperty(Exchange.SPLIT_COMPLETE) Boolean lastChunk) {
        if (Boolean.TRUE.equals(lastChunk)) {
            // why: the read's end sends every batch still filling next (tails), whole: a take now would only split them
            return List.of();
        }
        return cycle.laneLoads().takenNow(own(cycle).laneNames()).stream().map(key -> new SegmentRows(key, List.of())).toList();
    }
}
