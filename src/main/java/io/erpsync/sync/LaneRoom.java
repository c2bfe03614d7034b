package io.erpsync.sync;

import io.erpsync.core.Keys;
import org.apache.camel.ExchangeProperty;

import java.time.Duration;

/**
 * The read's back-pressure, on the thread of the run that reads: before a cycle hands its next chunk of
 * rows to segment-batches (routes/sync-cycle.camel.yaml), and a replay its next item
 * (routes/replay.camel.yaml), it waits while one of its own lanes is full, holding sync.lane.queue-size
 * batches besides the one it works on ({@link LaneLoads}). So a target whose lanes are full (a hung ERP)
 * holds back its own read and nothing else: the one hand-off of segment-batches, which serves every
 * target, never waits for a lane; and memory stays flat however many rows a cycle reads.
 */
public final class LaneRoom {
    private final int queueSize;
    private final Duration maxWait;

    /** {@code maxWait}: sync.cycle.settle-timeout; a lane full for that long fails the run. */
    public LaneRoom(int queueSize, Duration maxWait) {
        this.queueSize = Math.max(1, queueSize);
        this.maxWait = maxWait;
    }

    /** Returns once every lane of the run has room; throws (the run fails, its watermark kept) when one had none for maxWait. */
    public void await(@ExchangeProperty(Keys.CYCLE) Cycle cycle) throws InterruptedException {
        // the lane's queue is full once it holds queueSize batches besides the one its consumer works on
        String lane = cycle.laneLoads().awaitRoom(queueSize, maxWait);
        if (lane != null) {
            throw new IllegalStateException("lane " + lane + " of " + cycle.target() + " held more than " + queueSize + " batches for "
                    + maxWait + ": the read waited for room in vain");
        }
    }
}
