package io.erpsync.sync;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.erpsync.target.ItemState;
import io.erpsync.target.LaneKeys;
import io.erpsync.target.fusion.FusionLanes;
import io.erpsync.wms.StockLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class WritePartsTest {
    /** A target whose writes to items of one first letter touch one object (as bundled products touch their parent). */
    static final LaneKeys BY_PARENT = new LaneKeys() {
        @Override
        public String laneKey(StockLevel level) {
            return level.segment();
        }

        @Override
        public String writeGroup(StockLevel level) {
            return level.itemNumber().substring(0, 1);
        }

        @Override
        public boolean hotItemsApart() {
            return false;
        }
    };

    static List<PendingItem> read(String... items) {
        List<PendingItem> out = new ArrayList<>();
        for (String number : items) {
            PendingItem item = new PendingItem(row(number, 5, 10, out.size() + 1));
            item.snapshot(new ItemState(number, number, "M1", BigDecimal.ONE, "v1"));
            out.add(item);
        }
        return out;
    }

    static List<String> numbers(Map<String, PendingItem> parts) {
        return parts.values().stream().map(i -> i.level().itemNumber()).toList();
    }

    @Test
    void the_erp_writes_every_ready_item_up_to_the_batch_size_in_batch_order() {
        List<PendingItem> items = read("A1", "A2", "B1", "A3");
        Map<String, PendingItem> parts = WriteParts.next(items, 3, new FusionLanes());
        assertEquals(List.of("part1", "part2", "part3"), List.copyOf(parts.keySet()));
        assertEquals(List.of("A1", "A2", "B1"), numbers(parts));
    }

    @Test
    void two_writes_to_one_object_never_share_a_request_and_go_in_the_next_one() {
        List<PendingItem> items = read("A1", "A2", "B1", "A3", "C1");
        Map<String, PendingItem> first = WriteParts.next(items, 10, BY_PARENT);
        assertEquals(List.of("A1", "B1", "C1"), numbers(first));
        items.removeAll(first.values());
        assertEquals(List.of("A2"), numbers(WriteParts.next(items, 10, BY_PARENT)), "one per object and request, in batch order");
    }

    @Test
    void items_without_a_version_or_waiting_for_their_wms_row_are_not_written() {
        List<PendingItem> items = read("A1", "B1");
        items.add(new PendingItem(row("C1", 5, 10, 9)));
        items.get(0).metNewerVersion(new ItemState("A1", "A1", "M1", new BigDecimal(3), "v2"));
        assertEquals(List.of("B1"), numbers(WriteParts.next(items, 10, new FusionLanes())),
                "A1's field was written by another (the WMS row is read first); C1 was never read");
    }
}
