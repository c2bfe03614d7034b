package io.erpsync.bom;

import io.erpsync.sync.Cycle;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the BOM changes of one lane waiting for the same lock round or back-off round for
 * routes/bom-retry-rounds.camel.yaml, as the stock lanes' lock rounds do: the round goes back to
 * its lane when no change has joined it for the round's wait. A change waits there off its lane;
 * its bill's later changes wait behind it.
 */
public final class BomRetryRounds implements AggregationStrategy {

    /** A change handed to its lane's next round: "lock" (409 RECORD_LOCKED) or "back-off" (throttled, ERP down). */
    public record Waiting(Cycle run, String lane, String kind, int round, BomWork work, Duration delay) {
        String group() {
            return run.runId() + "|bom|" + lane + "|" + kind + "|" + round;
        }
    }

    /** The group a waiting change joins: run, lane, kind and round (one kind and round wait alike). */
    public String group(@Body Waiting waiting) {
        return waiting.group();
    }

    /** How long, in ms, the round waits for more changes before it goes out. */
    public long waitMillis(@Body Waiting waiting) {
        return Math.max(1, waiting.delay().toMillis());
    }

    @Override
    public Exchange aggregate(Exchange roundSoFar, Exchange handOver) {
        BomWork work = handOver.getMessage().getBody(Waiting.class).work();
        if (roundSoFar == null) {
            List<BomWork> round = new ArrayList<>();
            round.add(work);
            // a new exchange: Camel evaluates the wait on the hand-over after aggregating it
            Exchange gathered = handOver.copy();
            gathered.getMessage().setBody(round);
            return gathered;
        }
        @SuppressWarnings("unchecked")
        List<BomWork> round = roundSoFar.getMessage().getBody(List.class);
        round.add(work);
        return roundSoFar;
    }
}
