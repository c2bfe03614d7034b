package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class LaneRoomTest {

    static Batch handed(Cycle cycle, String segment, String lane) {
        Batch b = LaneLoadsTest.batch(cycle, segment, lane, 1);
        cycle.laneLoads().filling(b);
        cycle.laneLoads().handed(b, LaneLoadsTest.LANES);
        return b;
    }

    @Test
    void the_read_goes_on_while_each_lane_has_room_besides_the_batch_it_works_on() throws Exception {
        Cycle cycle = Rows.cycle(50);
        LaneRoom room = new LaneRoom(2, Duration.ZERO);
        handed(cycle, "A", "0");
        handed(cycle, "B", "0");
        handed(cycle, "C", "1");
        room.await(cycle);
    }

    @Test
    void a_lane_full_for_the_longest_wait_fails_the_read_naming_it() {
        Cycle cycle = Rows.cycle(50);
        LaneRoom room = new LaneRoom(1, Duration.ZERO);
        handed(cycle, "A", "1");
        handed(cycle, "B", "1");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> room.await(cycle));
        assertEquals("lane 1 of erp held more than 1 batches for PT0S: the read waited for room in vain", e.getMessage());
    }

    @Test
    void a_queue_size_below_one_leaves_room_for_one_waiting() throws Exception {
        Cycle cycle = Rows.cycle(50);
        LaneRoom room = new LaneRoom(0, Duration.ZERO);
        handed(cycle, "A", "0");
        room.await(cycle);
        handed(cycle, "B", "0");
        assertThrows(IllegalStateException.class, () -> room.await(cycle));
    }
}
