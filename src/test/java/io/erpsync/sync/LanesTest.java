package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

/** A batch entering its lane while the cycle's stock-outs (sync.priority.*) have not all had their first try. */
class LanesTest {
    final Cycle cycle = Rows.cycle(50);
    final Lanes lanes = new Lanes(null, null, null);

    Batch segmentBatch(String item) {
        Batch b = new Batch(cycle, "0|M1", "0", 0);
        cycle.accepted(1);
        b.add(row(item, 5, 10, 1));
        return b;
    }

    @Test
    void a_batch_enters_once_the_stock_outs_had_their_first_try_and_keeps_its_items() throws Exception {
        cycle.stockOutBatchesSent(1, Duration.ofMinutes(5));
        Batch b = segmentBatch("A");
        cycle.stockOutBatchTried();

        lanes.enter(b);

        assertEquals(1, b.unsettled().size());
        assertFalse(cycle.failed());
        assertEquals(0, cycle.deferred.get());
    }

    @Test
    void past_the_settle_timeout_the_run_fails_and_the_batch_is_deferred_not_sent_beside_a_stock_out() throws Exception {
        cycle.stockOutBatchesSent(1, Duration.ZERO);
        Batch b = segmentBatch("A");

        lanes.enter(b);

        assertTrue(cycle.failed(), "the run keeps its watermark");
        assertTrue(b.unsettled().isEmpty(), "nothing left to send");
        assertEquals(1, cycle.deferred.get());
        assertEquals(0, cycle.unsettled());
        assertFalse(lanes.breakerRefuses(b), "an empty batch takes no half-open probe (and asks no breaker)");
    }

    @Test
    void a_batch_of_stock_outs_never_waits_for_the_others() throws Exception {
        cycle.stockOutBatchesSent(2, Duration.ZERO);
        Batch stockOuts = Batch.ofStockOuts(cycle, "stock-outs of M1", "1", 10);
        cycle.accepted(1);
        stockOuts.add(row("B", 0, 10, 1));

        lanes.enter(stockOuts);

        assertEquals(1, stockOuts.unsettled().size());
        assertFalse(cycle.failed());
    }
}
