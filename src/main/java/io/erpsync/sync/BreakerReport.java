package io.erpsync.sync;

import io.erpsync.breaker.UpdateBreaker;
import io.erpsync.core.FailureClass;

import java.util.List;

/**
 * Tells the circuit breaker how each item's update went, once per item, by its first outcome that
 * says something about the ERP: landed, or failed in a way that counts against the ERP; a batch's
 * verdicts go to the breaker together when the batch is through. A locked
 * item counts when its lock is first met, not when its retries are over, so a lock storm opens the
 * breaker while there is still a cycle to defer; but a stock-out sent first counts by its end (landed
 * in a lock round, or parked): locks gather on stock-outs, and their first tries, the cycle's first
 * updates, would otherwise judge the whole target by its most locked items. A replay, an operator's
 * explicit request, is not judged.
 */
public final class BreakerReport {
    private final UpdateBreaker breaker;

    public BreakerReport(UpdateBreaker breaker) {
        this.breaker = breaker;
    }

    void landed(Batch batch, PendingItem item) {
        if (!batch.cycle().isReplay() && item.firstJudgement()) {
            batch.verdicts().landed++;
        }
    }

    void failed(Batch batch, PendingItem item, FailureClass why) {
        if (why.countsAgainstErp() && !batch.cycle().isReplay() && item.firstJudgement()) {
            batch.verdicts().failed.add(why);
        }
    }

    /** After the batch: its verdicts go to the breaker together (a replay reports none, and holds no permission). */
    void report(Batch batch) {
        if (!batch.cycle().isReplay()) {
            Batch.Verdicts v = batch.verdicts();
            breaker.report(v.landed, List.copyOf(v.failed));
            v.landed = 0;
            v.failed.clear();
        }
    }
}
