package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.target.ItemState;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class BatchTest {
    final Cycle cycle = Rows.cycle(50);
    final Batch batch = new Batch(cycle, "M1", "0", 0);

    /** The rows enter the run as accepted, as segment-batches does, then go into the batch. */
    void accept(io.erpsync.wms.StockLevel... levels) {
        cycle.accepted(levels.length);
        for (var l : levels) {
            batch.add(l);
        }
    }

    PendingItem item(String key) {
        return batch.unsettled().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void a_batch_of_stock_outs_says_so_and_how_many_parts_each_of_its_writes_takes() {
        Batch stockOuts = Batch.ofStockOuts(cycle, "stock-outs of M1", "2", 10);
        assertTrue(stockOuts.stockOuts());
        assertEquals(10, stockOuts.stockOutWrites());
        assertEquals(0, stockOuts.lockRound());
        assertEquals("2", stockOuts.lane());
        assertEquals(1, Batch.ofStockOuts(cycle, "x", "0", 0).stockOutWrites(), "at least one part a write");
        assertFalse(batch.stockOuts());
        assertEquals(0, batch.stockOutWrites());
    }

    @Test
    void a_batch_says_what_it_is_for_the_log() {
        Batch round = new Batch(cycle, "lock round 2 of lane 1", "1", 2);
        assertSame(cycle, round.cycle());
        assertEquals("lock round 2 of lane 1", round.label());
        assertEquals("1", round.lane());
        assertEquals(2, round.lockRound());
    }

    @Test
    void two_rows_of_one_item_are_one_item_with_the_newer_row_and_the_other_counts_settled() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2), row("A", 3, 20, 3), row("A", 4, 5, 4));
        assertEquals(2, batch.size());
        assertEquals(new BigDecimal(3), item("A|M1").level().quantity(), "the newest row of A, whatever the read order");
        assertEquals(2, cycle.unsettled(), "the two rows of A that were not kept are settled; A and B wait for their outcome");
        assertEquals(List.of("A|M1", "B|M1"), batch.unsettled().stream().map(PendingItem::key).toList(), "in read order");
    }

    @Test
    void an_item_is_settled_once_however_often_it_is_settled() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2));
        PendingItem a = item("A|M1");
        batch.settle(a);
        batch.settle(a);
        assertEquals(1, cycle.unsettled());
        assertEquals(1, batch.size());
        assertEquals(List.of("B|M1"), batch.unsettled().stream().map(PendingItem::key).toList());
    }

    @Test
    void a_locked_item_leaves_the_unsettled_items_but_the_batch_still_answers_for_it_until_handed_over() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2), row("C", 3, 10, 3));
        assertFalse(batch.hasLocked());
        PendingItem a = item("A|M1");
        batch.lockedOut(a, Duration.ofSeconds(3));
        batch.lockedOut(item("B|M1"), null);

        assertTrue(batch.hasLocked());
        assertEquals(List.of("C|M1"), batch.unsettled().stream().map(PendingItem::key).toList());
        assertEquals(3, batch.size(), "locked items are still this batch's");
        assertEquals(3, cycle.unsettled(), "a locked item is not settled by leaving");

        batch.lockedOut(a, Duration.ofSeconds(9));
        assertEquals(Duration.ofSeconds(3), batch.lockRetryAfter(), "an item already out is not locked out twice");

        List<PendingItem> waiting = batch.takeLocked();
        assertEquals(List.of("A|M1", "B|M1"), waiting.stream().map(PendingItem::key).toList());
        assertFalse(batch.hasLocked());
        assertEquals(List.of(), batch.takeLocked(), "handed over once");
        assertEquals(1, batch.size());
    }

    @Test
    void the_longest_retry_after_of_the_batch_locks_is_kept_and_a_lock_without_one_keeps_it() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2), row("C", 3, 10, 3), row("D", 4, 10, 4));
        assertNull(batch.lockRetryAfter());
        batch.lockedOut(item("A|M1"), null);
        assertNull(batch.lockRetryAfter());
        batch.lockedOut(item("B|M1"), Duration.ofSeconds(5));
        batch.lockedOut(item("C|M1"), Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(5), batch.lockRetryAfter(), "a shorter one does not replace it");
        batch.lockedOut(item("D|M1"), Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(8), batch.lockRetryAfter());
    }

    @Test
    void settling_all_counts_the_items_still_here_and_the_locked_ones() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2), row("C", 3, 10, 3));
        batch.lockedOut(item("A|M1"), null);
        batch.settleAll();
        assertEquals(0, cycle.unsettled());
        assertEquals(0, batch.size());
        assertFalse(batch.hasLocked());
        assertEquals(List.of(), batch.unsettled());
    }

    @Test
    void a_lock_round_takes_over_waiting_items_and_reads_each_again() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2));
        PendingItem a = item("A|M1");
        a.snapshot(new ItemState("1", "A", "M1", BigDecimal.ZERO, "etag-1"));
        a.staleRound();
        batch.lockedOut(a, null);

        Batch round = new Batch(cycle, "lock round 1 of lane 0", "0", 1);
        round.add(batch.takeLocked());
        assertEquals(1, round.size());
        PendingItem again = round.unsettled().iterator().next();
        assertSame(a, again, "the item keeps its history");
        assertNull(again.snapshot(), "the job that held it may have changed it");
        assertEquals(2, again.staleRound());
    }

    @Test
    void unreadable_answers_are_counted_per_batch() {
        assertEquals(1, batch.unreadableAnswer());
        assertEquals(2, batch.unreadableAnswer());
        assertEquals(1, new Batch(cycle, "M2", "0", 0).unreadableAnswer());
    }

    @Test
    void the_parts_in_flight_are_the_last_ones_set() {
        assertEquals(Map.of(), batch.inFlight());
        accept(row("A", 1, 10, 1));
        Map<String, PendingItem> parts = Map.of("part1", item("A|M1"));
        batch.inFlight(parts);
        assertSame(parts, batch.inFlight());
        assertEquals(0, batch.verdicts().landed);
        assertEquals(List.of(), batch.verdicts().failed);
    }

    @Test
    void a_probing_round_probes_one_ready_item_per_owner_and_a_probe_still_locked_takes_its_owners_others_out_untried() {
        accept(row("A", 1, 10, 1), row("B", 2, 10, 2), row("C", 3, 10, 3), row("D", 4, 10, 4), row("E", 5, 10, 5));
        item("A|M1").lockedBy("FUSION_BATCH");
        item("B|M1").lockedBy("FUSION_BATCH");
        item("C|M1").lockedBy("COST_ADMIN");
        item("D|M1").lockedBy("FUSION_BATCH");
        item("E|M1").lockedBy(null);
        assertEquals("", item("E|M1").lockOwner(), "an owner the target did not name");
        assertNull(batch.nextProbe(), "no item has a version in hand yet");
        for (String k : List.of("B|M1", "C|M1", "D|M1", "E|M1")) {
            item(k).snapshot(new ItemState("1", k, "M1", BigDecimal.ZERO, "etag-1"));
        }
        PendingItem b = batch.nextProbe();
        assertEquals("B|M1", b.key(), "the first ready item of the first owner (A has no version yet)");
        assertEquals("C|M1", batch.nextProbe().key(), "then the next owner's");
        assertEquals("E|M1", batch.nextProbe().key(), "an unnamed owner is an owner too");
        assertNull(batch.nextProbe(), "each owner probed once");

        assertEquals(List.of(), batch.stillLocked(item("C|M1"), "FUSION_BATCH", null), "C is no probe of FUSION_BATCH");
        batch.lockedOut(b, Duration.ofSeconds(4));
        List<PendingItem> untried = batch.stillLocked(b, "FUSION_BATCH", Duration.ofSeconds(9));
        assertEquals(List.of("A|M1", "D|M1"), untried.stream().map(PendingItem::key).toList(), "the owner's others, ready or not");
        assertEquals(List.of("C|M1", "E|M1"), batch.unsettled().stream().map(PendingItem::key).toList());
        assertEquals(List.of("B|M1", "A|M1", "D|M1"), batch.takeLocked().stream().map(PendingItem::key).toList());
        assertEquals(Duration.ofSeconds(9), batch.lockRetryAfter());
        assertEquals(5, cycle.unsettled(), "nothing settled: the three wait for the next round");
    }
}
