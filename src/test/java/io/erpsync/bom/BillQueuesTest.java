package io.erpsync.bom;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.erpsync.sync.Cycle;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

class BillQueuesTest {
    final Cycle run = new Cycle(1, "BOM", Instant.EPOCH, 1, Instant.EPOCH);
    final Instant at = Instant.parse("2026-05-01T08:00:00Z");

    BomWork change(long id, long bill, int secondsAfter) {
        return new BomWork(null, run, new BomChange(id, bill, 10L, null, Map.of("Quantity", new BomChange.Field(BigDecimal.ONE, BigDecimal.TEN)),
                "PLM", at.plusSeconds(secondsAfter), id));
    }

    @Test
    void a_bills_later_changes_wait_behind_its_change_in_progress_and_follow_in_request_order() {
        BillQueues q = new BillQueues();
        BomWork first = change(1, 7, 1);
        BomWork third = change(3, 7, 3);
        BomWork second = change(2, 7, 2);

        assertSame(first, q.admit(first));
        assertNull(q.admit(third), "its bill has a change in progress");
        q.behind(second);

        assertSame(second, q.next(first), "request order, not arrival order");
        assertSame(third, q.next(second));
        assertNull(q.next(third));
        BomWork later = change(4, 7, 4);
        assertSame(later, q.admit(later), "nothing in progress any more: it goes at once");
    }

    @Test
    void a_change_waiting_off_its_lane_keeps_its_bill_and_other_bills_go_on() {
        BillQueues q = new BillQueues();
        BomWork locked = change(1, 7, 1);
        q.admit(locked);
        locked.waitOffLane("lock", Duration.ofSeconds(1));
        assertNull(q.next(locked), "its turn ended without an outcome: the bill stays its");

        BomWork behind = change(2, 7, 2);
        assertNull(q.admit(behind), "its bill's next change waits behind it");
        BomWork otherBill = change(3, 8, 3);
        assertSame(otherBill, q.admit(otherBill), "another bill is not held");
        assertSame(locked, q.admit(locked), "back from its round: its bill's change in progress");
        assertSame(behind, q.next(locked));
    }
}
