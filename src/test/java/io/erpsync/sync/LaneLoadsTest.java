package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

class LaneLoadsTest {
    static final List<String> LANES = List.of("0", "1");
    static Batch batch(Cycle cycle, String segment, String lane, int items) {
        Batch b = new Batch(cycle, lane + "|" + segment, lane, 0);
        for (int i = 0; i < items; i++) {
            b.add(row(segment + "-" + i, "M1", i, i, i));
        }
        return b;
    }

    @Test
    void an_idle_lane_takes_its_fullest_filling_batch_and_a_busy_lane_takes_none() {
        Cycle cycle = Rows.cycle(2);
        LaneLoads loads = new LaneLoads();
        Batch small = batch(cycle, "A", "0", 3);
        Batch fullest = batch(cycle, "B", "0", 7);
        Batch other = batch(cycle, "C", "1", 2);
        loads.filling(small);
        loads.filling(fullest);
        loads.filling(other);

        assertEquals(List.of("0|B", "1|C"), loads.takenNow(LANES), "each idle lane its fullest batch");

        loads.handed(fullest, LANES);
        assertFalse(loads.idle("0"));
        assertEquals(List.of("1|C"), loads.takenNow(LANES), "lane 0 works on B: A waits");

        loads.through(fullest);
        assertTrue(loads.idle("0"));
        assertEquals(List.of("0|A", "1|C"), loads.takenNow(LANES), "through B, lane 0 takes A");
    }

    @Test
    void a_batch_never_handed_leaves_the_lane_as_it_was_and_empty_batches_are_never_taken() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        Batch segment = batch(cycle, "A", "0", 4);
        loads.filling(segment);
        loads.handed(segment, LANES);

        Batch lockRound = new Batch(cycle, "lock round 1 of lane 0", "0", 1);
        loads.through(lockRound);
        assertFalse(loads.idle("0"), "a lock round's batch was never handed: lane 0 still holds A");

        Batch empty = batch(cycle, "B", "1", 0);
        loads.filling(empty);
        assertEquals(List.of(), loads.takenNow(LANES), "nothing to take");
        loads.handed(empty, LANES);
        assertTrue(loads.idle("1"), "an empty batch goes nowhere and holds no lane");
    }

    @Test
    void on_a_tie_the_batch_that_began_filling_first_goes() {
        Cycle cycle = Rows.cycle(5);
        LaneLoads loads = new LaneLoads();
        loads.filling(batch(cycle, "A", "0", 5));
        loads.filling(batch(cycle, "B", "0", 5));
        assertEquals(List.of("0|A"), loads.takenNow(LANES));
    }

    @Test
    void a_batch_below_one_whole_write_is_not_taken_it_fills_on() {
        Cycle cycle = Rows.cycle(5);
        LaneLoads loads = new LaneLoads();
        loads.filling(batch(cycle, "A", "0", 4));
        assertEquals(List.of(), loads.takenNow(LANES));
        loads.filling(batch(cycle, "B", "0", 5));
        assertEquals(List.of("0|B"), loads.takenNow(LANES));
    }

    @Test
    void every_batch_still_filling_is_listed_in_the_order_it_began_and_none_handed() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        Batch a = batch(cycle, "A", "0", 3);
        Batch b = batch(cycle, "B", "1", 0);
        Batch c = batch(cycle, "C", "0", 1);
        Batch gone = batch(cycle, "D", "1", 2);
        loads.filling(a);
        loads.filling(b);
        loads.filling(c);
        loads.filling(gone);
        loads.handed(gone, LANES);

        assertEquals(List.of("0|A", "0|C", "1|B"), loads.stillFilling(), "by lane, each lane's in the order they began, empty ones too");
        loads.handed(a, LANES);
        loads.handed(b, LANES);
        loads.handed(c, LANES);
        assertEquals(List.of(), loads.stillFilling());
    }

    @Test
    void a_lane_is_full_once_it_holds_more_than_its_room_and_a_batch_through_it_makes_room() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        Batch a = batch(cycle, "A", "0", 1);
        Batch b = batch(cycle, "B", "0", 1);
        Batch c = batch(cycle, "C", "1", 1);
        for (Batch x : List.of(a, b, c)) {
            loads.filling(x);
            loads.handed(x, LANES);
        }
        assertEquals(null, loads.fullLane(2), "no lane holds more than two");
        assertEquals("0", loads.fullLane(1), "lane 0 holds two");
        assertEquals("0", loads.fullLane(0));
        loads.through(b);
        assertEquals(null, loads.fullLane(1), "through B, lane 0 holds one");
        assertEquals("0", loads.fullLane(0), "the first lane that is full");
        loads.through(a);
        assertEquals("1", loads.fullLane(0));
    }

    @Test
    void the_wait_for_room_ends_at_once_with_room_after_its_longest_without_and_when_a_batch_goes_through() throws Exception {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        assertEquals(null, loads.awaitRoom(0, Duration.ofHours(1)), "no lane holds anything: room at once");
        Batch a = batch(cycle, "A", "0", 1);
        loads.filling(a);
        loads.handed(a, LANES);
        assertEquals(null, loads.awaitRoom(1, Duration.ofHours(1)), "room for one more");
        assertEquals("0", loads.awaitRoom(0, Duration.ZERO), "lane 0 had no room");
        long before = System.nanoTime();
        assertEquals("0", loads.awaitRoom(0, Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - before >= TimeUnit.MILLISECONDS.toNanos(50), "it waited its longest");

        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<String> waited = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                return loads.awaitRoom(0, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> waiter.get() != null && waiter.get().getState() == Thread.State.TIMED_WAITING);
        assertFalse(waited.isDone(), "lane 0 is still full");
        loads.through(a);
        assertEquals(null, waited.get(30, TimeUnit.SECONDS), "lane 0 went through A: room, long before ten minutes");
    }

    static Batch anyLane(Cycle cycle, String segment, int items) {
        return batch(cycle, segment, LaneLoads.ANY, items);
    }

    static Batch handed(LaneLoads loads, Batch b) {
        loads.filling(b);
        loads.handed(b, LANES);
        return b;
    }

    @Test
    void a_segment_batch_takes_the_lane_with_the_fewest_rows_and_waits_while_its_segment_has_one_in_a_lane() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        Batch a1 = handed(loads, anyLane(cycle, "A", 5));
        Batch b1 = handed(loads, anyLane(cycle, "B", 2));
        Batch c1 = handed(loads, anyLane(cycle, "C", 1));
        assertEquals(List.of("0", "1", "1"), List.of(a1.lane(), b1.lane(), c1.lane()), "each where the fewest rows wait: 0, 1, then 1 (2 rows against 5)");

        Batch a2 = handed(loads, anyLane(cycle, "A", 1));
        assertTrue(a2.waitsForItsSegment(), "A's first batch is still in lane 0: its second waits for it, in no lane");
        assertEquals(LaneLoads.ANY, a2.lane());
        assertEquals(List.of(), loads.through(b1), "nothing of B waited");

        assertEquals(List.of(a2), loads.through(a1), "through A's first, its second goes, sent by lane 0");
        assertEquals("0", a2.lane(), "to the lane with the fewest rows: 0 (none) against 1 (1)");
        assertFalse(loads.idle("0"));
        assertEquals(List.of(), loads.through(a2));
        handed(loads, anyLane(cycle, "D", 9));
        assertEquals("1", handed(loads, anyLane(cycle, "A", 1)).lane(), "A moves to lane 1 (1 row) now that lane 0 holds 9");
    }

    @Test
    void a_segment_that_handed_items_to_a_lock_round_keeps_its_lane_for_the_run() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        Batch a1 = handed(loads, anyLane(cycle, "A", 1));
        loads.keepsItsLane(a1);
        loads.through(a1);
        handed(loads, anyLane(cycle, "B", 9));
        assertEquals("0", a1.lane());
        assertEquals("0", handed(loads, anyLane(cycle, "A", 1)).lane(), "its lock round's items wait in lane 0: its newer rows meet them there");
    }

    @Test
    void a_segment_whose_stock_out_waits_for_a_lock_round_follows_it_to_that_lane_for_the_run() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        handed(loads, anyLane(cycle, "B", 9));
        Batch a = anyLane(cycle, "A", 1);
        loads.keepsLane(a.label(), "0");
        loads.keepsLane(a.label(), "1");
        assertEquals("0", handed(loads, a).lane(), "the lane of its stock-out's round (the first named), though B's 9 rows wait there");
        Batch c = handed(loads, anyLane(cycle, "C", 1));
        assertEquals("1", c.lane(), "a segment without a stock-out in a round still goes where the fewest rows are");
    }

    @Test
    void the_shared_lanes_are_full_together_above_three_batches_each_so_a_segment_finds_its_last_batch_through() {
        Cycle cycle = Rows.cycle(50);
        LaneLoads loads = new LaneLoads();
        List<Batch> batches = new ArrayList<>();
        for (String segment : List.of("A", "B", "C", "D", "E", "F")) {
            batches.add(handed(loads, anyLane(cycle, segment, 1)));
        }
        assertEquals(null, loads.fullLane(50), "three each: room");
        handed(loads, anyLane(cycle, "G", 1));
        assertEquals("0", loads.fullLane(50), "seven in two lanes: the read waits, naming the fullest (4 against 3)");
        loads.through(batches.get(0));
        assertEquals(null, loads.fullLane(50));

        LaneLoads one = new LaneLoads();
        handed(one, anyLane(cycle, "A", 1));
        handed(one, anyLane(cycle, "A", 1));
        handed(one, anyLane(cycle, "A", 1));
        assertEquals(null, one.fullLane(1), "one in lane 0, two waiting for it: room for one each of two lanes");
        handed(one, anyLane(cycle, "A", 1));
        assertEquals("0", one.fullLane(1), "three waiting for their segment: more than the lanes' room");
    }

    @Test
    void an_idle_lane_takes_the_fullest_batch_of_a_segment_with_none_in_another_lane() {
        Cycle cycle = Rows.cycle(2);
        LaneLoads loads = new LaneLoads();
        Batch busy = handed(loads, anyLane(cycle, "A", 4));
        Batch nextOfBusy = anyLane(cycle, "A", 9);
        Batch free = anyLane(cycle, "B", 3);
        Batch small = anyLane(cycle, "C", 2);
        loads.filling(nextOfBusy);
        loads.filling(free);
        loads.filling(small);
        assertEquals("0", busy.lane());
        assertEquals(List.of(LaneLoads.ANY + "|B"), loads.takenNow(LANES),
                "lane 1 is idle: it takes B, not A's fuller batch (A's lane is 0, busy)");
        loads.through(busy);
        assertEquals(List.of(LaneLoads.ANY + "|A", LaneLoads.ANY + "|B"), loads.takenNow(LANES), "both idle: the two fullest, one each");
    }
}
