package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.erpsync.target.Target;
import io.erpsync.target.fusion.Fusion;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

/** Several targets (setting targets): each target's runs are batched by its own lanes and sizes, found through the run's line. */
class TargetLinesTest {
    static final Target ERP = Fusion.target();

    static TargetLine line(String name, SegmentBatches batches) {
        return new TargetLine(name, null, null, null, null, batches, null, "direct:" + name + "-call");
    }

    @Test
    void a_second_target_has_lanes_of_its_own() {
        SegmentBatches sf = new SegmentBatches(ERP, 2, 50, "storefront-");
        assertEquals(List.of("storefront-0", "storefront-1", "storefront-hot"), sf.laneNames());
        assertEquals(List.of("0", "1", "2", "hot"), new SegmentBatches(ERP, 3, 50).laneNames(), "the first target's lanes keep their names");
        Cycle cycle = Rows.cycle(50);
        assertEquals(List.of("storefront-*|M1", "storefront-*|M2"), sf.group(List.of(row("A", "M1", 1, 1, 1), row("B", "M2", 1, 1, 2)), cycle)
                .stream().map(SegmentRows::key).toList());
        assertEquals(List.of("storefront-0", "storefront-1"), List.of(sf.fixedLane("storefront-*|M1", cycle), sf.fixedLane("storefront-*|M2", cycle)),
                "a fixed lane (stock-outs first) of its own too");
    }

    @Test
    void a_run_of_another_target_is_batched_by_that_targets_lanes_and_read_size() {
        SegmentBatches first = new SegmentBatches(ERP, 1, 100);
        SegmentBatches second = new SegmentBatches(ERP, 3, 5, "sf-");
        Cycle run = new Cycle(1, "test", Rows.T0, 5, Rows.T0, line("sf", second));

        List<SegmentRows> groups = first.group(IntStream.range(0, 6).mapToObj(i -> row("I" + i, "M1", i, i, i)).toList(), run);

        assertTrue(groups.stream().allMatch(g -> g.key().equals("sf-*|M1")), "its own lanes: " + groups);
        assertEquals(List.of(1, 1, 1, 1, 1, 1), groups.stream().map(g -> g.levels().size()).toList(), "a tenth of its read size of 5");
        assertEquals(new SegmentRows("sf-*|M1", List.of(row("X", "M1", 1, 1, 1))), first.one(row("X", "M1", 1, 1, 1), run));
        Batch five = new Batch(run, "sf-0|M1", "sf-0", 0);
        IntStream.range(0, 5).forEach(i -> five.add(row("I" + i, "M1", i, i, i)));
        assertTrue(first.isFull(five), "full at the second target's read size");
        assertEquals("sf-0", first.fixedLane("sf-*|M1", run), "the second target's lanes");
        Batch two = new Batch(run, "sf-0|M1", "sf-0", 0);
        IntStream.range(0, 2).forEach(i -> two.add(row("I" + i, "M1", i, i, i)));
        assertFalse(first.isFull(two), "not before");
        Batch sameInTheFirst = new Batch(Rows.cycle(5), "0|M1", "0", 0);
        IntStream.range(0, 5).forEach(i -> sameInTheFirst.add(row("I" + i, "M1", i, i, i)));
        assertFalse(first.isFull(sameInTheFirst), "not at the first target's read size of 100");
    }

    @Test
    void a_run_names_its_target_and_its_call_route() {
        Cycle only = Rows.cycle(50);
        assertEquals("erp", only.target());
        assertEquals("direct:erp-call", only.callUri());
        Cycle sf = new Cycle(2, "test", Rows.T0, 50, Rows.T0, line("storefront", null));
        assertEquals("storefront", sf.target());
        assertEquals("direct:storefront-call", sf.callUri());
    }

    @Test
    void lines_are_found_by_name_and_an_unknown_one_is_refused_naming_those_configured() {
        TargetLine.Lines lines = new TargetLine.Lines(List.of(line("erp", null), line("storefront", null)));
        assertEquals(List.of("erp", "storefront"), lines.names());
        assertEquals("storefront", lines.get("storefront").name());
        assertEquals(List.of("erp", "storefront"), List.copyOf(lines.byName().keySet()));
        assertEquals("no target 'shop' is configured (targets = erp,storefront)",
                assertThrows(IllegalArgumentException.class, () -> lines.get("shop")).getMessage());
    }

    @Test
    void a_replay_filters_target_term_names_whose_rows_are_replayed() {
        assertArrayEquals(new String[] {null, "all"}, Replays.splitTarget(null));
        assertArrayEquals(new String[] {null, "all"}, Replays.splitTarget("all"));
        assertArrayEquals(new String[] {"storefront", "all"}, Replays.splitTarget("target=storefront"));
        assertArrayEquals(new String[] {"storefront", "class=RECORD_LOCKED"}, Replays.splitTarget("class=RECORD_LOCKED, Target = storefront"));
        assertArrayEquals(new String[] {null, "id=4,item=ITM-1"}, Replays.splitTarget("id=4,item=ITM-1"));
    }
}
