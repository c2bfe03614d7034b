package io.erpsync.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * Gathers the locked items of one lane and round into one batch for
 * routes/lock-rounds.camel.yaml: the round goes out when no item has joined it for the round's wait.
 */
public final class LockRoundBatches implements AggregationStrategy {

    /** The group a hand-over of locked items joins: run, lane and round. */
    public String group(@Body Lanes.LockedItems locked) {
        return locked.group();
    }

    /** How long, in ms, the round waits for more items before it goes out. */
    public long waitMillis(@Body Lanes.LockedItems locked) {
        return Math.max(1, locked.delay().toMillis());
    }

    @Override
    public Exchange aggregate(Exchange roundSoFar, Exchange handOver) {
        Lanes.LockedItems locked = handOver.getMessage().getBody(Lanes.LockedItems.class);
        if (roundSoFar == null) {
            Batch batch = new Batch(locked.cycle(), "lock round " + locked.round() + " of lane " + locked.lane(), locked.lane(),
                    locked.round());
            batch.add(locked.items());
            // a new exchange: Camel evaluates the wait on the hand-over after aggregating it
            Exchange round = handOver.copy();
            round.getMessage().setBody(batch);
            return round;
        }
        roundSoFar.getMessage().getBody(Batch.class).add(locked.items());
        return roundSoFar;
    }
}
