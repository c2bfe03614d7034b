package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.core.Keys;
import io.erpsync.target.Target;
import io.erpsync.target.fusion.Fusion;
import io.erpsync.wms.StockLevel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

class SegmentBatchesTest {
    static final Target ERP = Fusion.target();
    static final CamelContext CAMEL = new DefaultCamelContext();

    @AfterAll
    static void close() throws Exception {
        CAMEL.close();
    }

    static List<StockLevel> rows(String org, int n) {
        return IntStream.range(0, n).mapToObj(i -> row("I" + i, org, i, i, i)).toList();
    }

    static Exchange take(SegmentRows rows, Cycle cycle) {
        Exchange ex = exchange(rows, cycle);
        ex.setProperty(SegmentBatches.TAKE, true);
        return ex;
    }

    static Exchange exchange(Object body, Cycle cycle) {
        Exchange ex = new DefaultExchange(CAMEL);
        ex.getMessage().setBody(body);
        ex.setProperty(Keys.CYCLE, cycle);
        return ex;
    }

    /** A batch of the run holding {@code n} items. */
    static Batch batchOf(Cycle cycle, int n) {
        Batch b = new Batch(cycle, "0|M1", "0", 0);
        rows("M1", n).forEach(b::add);
        return b;
    }

    /** For the tests of rows left over: one lane, batches of a read of 100, the batches in the order handed. */
    final SegmentBatches sb = new SegmentBatches(ERP, 1, 100);
    final Cycle cycle = Rows.cycle(50);
    final List<Batch> handed = new java.util.ArrayList<>();

    /** Feeds a group the way segment-batches does: a batch full at once completes (handed, in order); null once it did. */
    private static Exchange feed(SegmentBatches sb, Exchange filling, SegmentRows g, Cycle cycle, List<Batch> handed) {
        Exchange ex = sb.aggregate(filling, exchange(g, cycle));
        Batch b = ex.getMessage().getBody(Batch.class);
        if (sb.isFull(b) || Boolean.TRUE.equals(ex.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, Boolean.class))) {
            ex.removeProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP);
            if (b.size() > 0) {
                handed.add(b);
            }
            return null;
        }
        return ex;
    }

    /** In the order the batches were handed, an item's row is never older than one an earlier batch holds. */
    private static java.util.Map<String, StockLevel> assertNeverOlderAfterNewer(List<Batch> handed) {
        java.util.Map<String, StockLevel> written = new java.util.HashMap<>();
        for (Batch b : handed) {
            for (PendingItem item : b.unsettled()) {
                StockLevel before = written.put(item.key(), item.level());
                assertTrue(before == null || item.level().isNewerThan(before),
                        () -> item.key() + ": the row of " + item.level().updatedAt() + " handed after that of " + before.updatedAt());
            }
        }
        return written;
    }

    @Test
    void the_rows_beyond_a_full_batch_start_the_segments_next_batch_before_any_newer_row_of_the_chunk() {
        Exchange filling = feed(sb, null, new SegmentRows("0|M1", rows("M1", 95)), cycle, handed);
        // this chunk's first group fills the batch with 5 rows; its last 5, X of second 1 among them, are left over
        List<StockLevel> g1 = new java.util.ArrayList<>(rows("M1", 100).subList(95, 100));
        g1.add(row("X", "M1", 1, 1001, 1001));
        IntStream.range(0, 4).forEach(i -> g1.add(row("A" + i, "M1", 1, 1002, 1002 + i)));
        filling = feed(sb, filling, new SegmentRows("0|M1", g1), cycle, handed);
        assertEquals(1, handed.size(), "full at 100");
        // the chunk's later groups: X's newer row (second 2000) and 99 other items, enough to fill the next batch
        List<StockLevel> later = new java.util.ArrayList<>();
        later.add(row("X", "M1", 2, 2000, 2000));
        IntStream.range(0, 99).forEach(i -> later.add(row("B" + i, "M1", 2, 2001, 2001 + i)));
        for (int i = 0; i < 100; i += 10) {
            filling = feed(sb, filling, new SegmentRows("0|M1", later.subList(i, i + 10)), cycle, handed);
        }
        for (SegmentRows rest : sb.rests(cycle)) {
            filling = feed(sb, filling, rest, cycle, handed);
        }
        for (SegmentRows tail : sb.tails(cycle)) {
            filling = feed(sb, filling, tail, cycle, handed);
        }

        java.util.Map<String, StockLevel> written = assertNeverOlderAfterNewer(handed);
        assertEquals(2000, written.get("X|M1").updatedAt().getEpochSecond() - Rows.T0.getEpochSecond(), "X's newest row is the one written last");
        assertEquals(204, written.size(), "every item handed: 100 I, X, 4 A, 99 B");
        assertEquals(List.of(), sb.rests(cycle));
    }

    @Test
    void rows_left_over_while_the_rests_join_their_batches_go_out_at_the_reads_end_not_never() {
        Exchange filling = feed(sb, null, new SegmentRows("0|M1", rows("M1", 95)), cycle, handed);
        // an idle lane's take cut another segment's batch: 10 rows of 0|M1 left over, joining the batch of 95
        cycle.rest(new SegmentRows("0|M1", IntStream.range(0, 10).mapToObj(i -> row("R" + i, "M1", 1, 500, 500 + i)).toList()));
        for (SegmentRows rest : sb.rests(cycle)) {
            filling = feed(sb, filling, rest, cycle, handed);
        }
        assertEquals(1, handed.size(), "5 joined: full");
        for (SegmentRows tail : sb.tails(cycle)) {
            filling = feed(sb, filling, tail, cycle, handed);
        }

        assertEquals(105, assertNeverOlderAfterNewer(handed).size(), "the 5 left over went in a batch of their own at the end: " + handed.size());
        assertEquals(List.of(), sb.rests(cycle));
    }

    @Test
    void lanes_and_read_sizes_out_of_range_are_setting_errors() {
        assertEquals("sync.lanes must be at least 1, was 0", assertThrows(IllegalStateException.class, () -> new SegmentBatches(ERP, 0, 100)).getMessage());
        assertEquals("sync.read-size must be between 1 and 500, was 0",
                assertThrows(IllegalStateException.class, () -> new SegmentBatches(ERP, 1, 0)).getMessage());
        assertEquals("sync.read-size must be between 1 and 500, was 501",
                assertThrows(IllegalStateException.class, () -> new SegmentBatches(ERP, 1, 501)).getMessage());
        assertEquals(1, new SegmentBatches(ERP, 1, 1).lanes());
        assertEquals(3, new SegmentBatches(ERP, 3, 500).lanes());
    }

    @Test
    void rows_group_by_segment_the_lane_left_to_the_hand_over_and_other_batches_get_the_emptiest_fixed_lane() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(50);
        List<SegmentRows> groups = sb.group(List.of(row("A", "M1", 1, 1, 1), row("B", "M2", 1, 1, 2), row("C", "M1", 1, 1, 3),
                row("D", "M3", 1, 1, 4)), cycle);
        assertEquals(List.of("*|M1", "*|M2", "*|M3"), groups.stream().map(SegmentRows::key).toList(), "any lane: LaneLoads decides as each is handed over");
        assertEquals(List.of("A", "C"), groups.get(0).levels().stream().map(StockLevel::itemNumber).toList());
        assertEquals(List.of("0", "1", "0", "0"), List.of(sb.fixedLane("*|M1", cycle), sb.fixedLane("*|M2", cycle), sb.fixedLane("*|M1", cycle),
                sb.fixedLane("*|M3", cycle)), "stock-outs first: a lane per segment, the emptiest for a new one (the lowest on a tie)");
        assertEquals("hot", sb.fixedLane("hot|M1", cycle));
    }

    @Test
    void a_hot_item_goes_to_its_organizations_hot_batch() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(50);
        cycle.hotItems(Set.of("A|M1", "B|M2"));
        List<SegmentRows> groups = sb.group(List.of(row("A", "M1", 1, 1, 1), row("B", "M2", 1, 1, 2), row("C", "M1", 1, 1, 3)), cycle);
        assertEquals(List.of("hot|M1", "hot|M2", "*|M1"), groups.stream().map(SegmentRows::key).toList());
        assertEquals(new SegmentRows("hot|M1", List.of(row("A", "M1", 1, 1, 1))), sb.one(row("A", "M1", 1, 1, 1), cycle),
                "a replayed hot item too");
        assertEquals(new SegmentRows("*|M1", List.of(row("C", "M1", 1, 1, 3))), sb.one(row("C", "M1", 1, 1, 3), cycle));
    }

    @Test
    void a_target_that_serialises_per_lane_key_keeps_hot_items_on_their_lane() {
        Target serialising = new Target("storefront", ERP.reads(), ERP.writes(), ERP.answers(), WritePartsTest.BY_PARENT);
        SegmentBatches sb = new SegmentBatches(serialising, 2, 100);
        Cycle cycle = Rows.cycle(50);
        cycle.hotItems(Set.of("A|M1"));
        List<SegmentRows> groups = sb.group(List.of(row("A", "M1", 1, 1, 1), row("C", "M1", 1, 1, 3)), cycle);
        assertEquals(List.of("*|M1"), groups.stream().map(SegmentRows::key).toList(), "one lane for the lane key, hot or not");
    }

    @Test
    void a_chunk_is_cut_into_groups_of_a_tenth_of_the_larger_of_read_size_and_batch_size() {
        // read-size 100 beats batch size 50: groups of 10, full ones first, the rest after
        List<SegmentRows> groups = new SegmentBatches(ERP, 1, 100).group(rows("M1", 25), Rows.cycle(50));
        assertEquals(List.of(10, 10, 5), groups.stream().map(g -> g.levels().size()).toList());
        assertEquals("I10", groups.get(1).levels().get(0).itemNumber(), "in read order");

        // batch size 200 beats read-size 20: groups of 20
        assertEquals(List.of(20, 5), new SegmentBatches(ERP, 1, 20).group(rows("M1", 25), Rows.cycle(200)).stream()
                .map(g -> g.levels().size()).toList());

        // below 10 items a batch, every row is a group of its own
        assertEquals(List.of(1, 1, 1), new SegmentBatches(ERP, 1, 5).group(rows("M1", 3), Rows.cycle(5)).stream()
                .map(g -> g.levels().size()).toList());
        assertEquals(List.of(), new SegmentBatches(ERP, 1, 5).group(List.of(), Rows.cycle(5)));
    }

    @Test
    void the_first_group_starts_a_batch_in_its_lane_and_the_next_join_it() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(50);
        SegmentRows first = new SegmentRows("1|M2", rows("M2", 3));
        assertEquals("1|M2", sb.key(first), "the correlation");

        Exchange started = sb.aggregate(null, exchange(first, cycle));
        Batch batch = started.getMessage().getBody(Batch.class);
        assertSame(cycle, batch.cycle());
        assertEquals("1|M2", batch.label());
        assertEquals("1", batch.lane());
        assertEquals(0, batch.lockRound());
        assertEquals(3, batch.size());

        Exchange next = sb.aggregate(started, exchange(new SegmentRows("1|M2", List.of(row("X", "M2", 1, 1, 9), row("I0", "M2", 5, 99, 10))), cycle));
        assertSame(started, next);
        assertSame(batch, next.getMessage().getBody(Batch.class));
        assertEquals(4, batch.size(), "X joins; I0 again is the same item");
    }

    @Test
    void a_full_batch_is_one_whole_read_and_the_rows_beyond_start_the_segments_next_batch() {
        SegmentBatches sb = new SegmentBatches(ERP, 1, 100);
        Cycle cycle = Rows.cycle(50);
        assertFalse(sb.isFull(null));
        assertFalse(sb.isFull(batchOf(cycle, 99)));
        assertTrue(sb.isFull(batchOf(cycle, 100)));
        assertFalse(sb.isFull(batchOf(Rows.cycle(300), 299)), "a batch size larger than the read-size sets the capacity");
        assertTrue(sb.isFull(batchOf(Rows.cycle(300), 300)));

        Exchange started = sb.aggregate(null, exchange(new SegmentRows("0|M1", rows("M1", 95)), cycle));
        Exchange more = sb.aggregate(started, exchange(new SegmentRows("0|M1", rows("M1", 110).subList(95, 110)), cycle));
        Batch batch = more.getMessage().getBody(Batch.class);
        assertEquals(100, batch.size(), "filled to its capacity, not past it");
        List<SegmentRows> rests = sb.rests(cycle);
        assertEquals(1, rests.size());
        assertEquals("0|M1", rests.get(0).key());
        assertEquals(rows("M1", 110).subList(100, 110), rests.get(0).levels(), "the rows beyond, in read order, for the next batch");
        assertEquals(List.of(), sb.rests(cycle), "handed once");

        Exchange full = sb.aggregate(null, exchange(new SegmentRows("1|M2", rows("M2", 100)), cycle));
        sb.aggregate(full, exchange(new SegmentRows("1|M2", List.of(row("I5", "M2", 5, 77, 500))), cycle));
        assertEquals(100, full.getMessage().getBody(Batch.class).size(), "a newer row of an item it holds joins a full batch");
        assertEquals(List.of(), sb.rests(cycle), "and starts no other batch: the item stays in one request");
    }

    @Test
    void an_idle_lanes_take_completes_its_group_and_the_mark_is_gone_before_the_batch_goes_on() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(2);
        Exchange started = sb.aggregate(null, exchange(new SegmentRows("0|M1", rows("M1", 4)), cycle));
        assertEquals(List.of("0|M1"), sb.takenByIdleLanes(cycle, false).stream().map(SegmentRows::key).toList(), "lane 0 has nothing to do");
        assertEquals(List.of(), sb.takenByIdleLanes(cycle, true), "the read's last chunk: its end sends every batch whole next");
        assertFalse(started.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class), "rows alone complete nothing");

        Exchange taken = sb.aggregate(started, take(sb.takenByIdleLanes(cycle, false).get(0), cycle));
        assertTrue(taken.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class), "the take completes the group");
        assertEquals(4, taken.getMessage().getBody(Batch.class).size(), "two whole writes of 2");
        assertEquals(List.of(), sb.rests(cycle));

        sb.onCompletion(taken);
        assertFalse(taken.getProperties().containsKey(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP), "lock-rounds must not see it");
        assertEquals(List.of(), sb.takenByIdleLanes(cycle, false), "lane 0 works on it: nothing more to take");

        Exchange none = sb.aggregate(null, exchange(new SegmentRows("1|M2", List.of()), cycle));
        assertTrue(none.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class), "a take that met no group completes at once");
        assertEquals(0, none.getMessage().getBody(Batch.class).size(), "and holds nothing (segment-batches sends nothing)");
    }

    @Test
    void a_take_keeps_whole_writes_and_its_other_rows_start_the_segments_next_batch_and_a_smaller_batch_fills_on() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(10);
        Exchange small = sb.aggregate(null, exchange(new SegmentRows("1|M2", rows("M2", 9)), cycle));
        assertEquals(List.of(), sb.takenByIdleLanes(cycle, false), "less than one write: it fills on");
        assertFalse(small.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class));

        Exchange started = sb.aggregate(null, exchange(new SegmentRows("0|M1", rows("M1", 23)), cycle));
        Exchange taken = sb.aggregate(started, take(new SegmentRows("0|M1", List.of()), cycle));
        assertTrue(taken.getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class));
        assertEquals(20, taken.getMessage().getBody(Batch.class).size(), "two whole writes of 10");
        List<SegmentRows> rests = sb.rests(cycle);
        assertEquals(List.of(new SegmentRows("0|M1", rows("M1", 23).subList(20, 23))), rests, "the last three, for the next batch");

        Exchange other = sb.aggregate(null, exchange(new SegmentRows("1|M3", rows("M3", 23)), cycle));
        Exchange end = sb.aggregate(other, exchange(new SegmentRows("1|M3", List.of()), cycle));
        assertEquals(23, end.getMessage().getBody(Batch.class).size(), "the read's end sends a batch whole");
        assertEquals(List.of(), sb.rests(cycle));
    }

    @Test
    void the_end_of_a_read_completes_every_batch_of_its_own_run_still_filling_and_none_of_another_runs() {
        SegmentBatches sb = new SegmentBatches(ERP, 2, 100);
        Cycle cycle = Rows.cycle(50);
        Cycle other = Rows.cycle(50);
        Exchange a = sb.aggregate(null, exchange(new SegmentRows("0|M1", rows("M1", 3)), cycle));
        Exchange b = sb.aggregate(null, exchange(new SegmentRows("1|M2", rows("M2", 2)), cycle));
        sb.aggregate(null, exchange(new SegmentRows("0|M3", rows("M3", 4)), other));
        sb.onCompletion(b);

        List<SegmentRows> tails = sb.tails(cycle);

        assertEquals(List.of("0|M1"), tails.stream().map(SegmentRows::key).toList(), "its batch still filling, not the one gone, nor the other run's");
        assertEquals(List.of(), tails.get(0).levels(), "no rows: the strategy completes the group");
        assertTrue(sb.aggregate(a, exchange(tails.get(0), cycle)).getProperty(Exchange.AGGREGATION_COMPLETE_CURRENT_GROUP, false, Boolean.class));
        assertEquals(List.of("0|M3"), sb.tails(other).stream().map(SegmentRows::key).toList());
    }
}
