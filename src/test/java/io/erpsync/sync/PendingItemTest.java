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

class PendingItemTest {

    @Test
    void a_newer_row_replaces_the_one_in_hand_and_an_older_one_is_ignored() {
        PendingItem item = new PendingItem(row("A", 5, 10, 1));
        assertEquals("A|M1", item.key());

        assertFalse(item.newer(row("A", 7, 5, 2)), "updated earlier");
        assertEquals(new BigDecimal(5), item.level().quantity());

        assertTrue(item.newer(row("A", 9, 20, 3)));
        assertEquals(new BigDecimal(9), item.level().quantity());
        assertEquals("A|M1", item.key(), "the identity stays whatever row is in hand");
    }

    @Test
    void an_item_counts_once_as_changed_however_many_rounds_it_takes() {
        PendingItem item = new PendingItem(row("A", 5, 10, 1));
        assertFalse(item.differed(), "not compared yet");
        assertTrue(item.firstComparison());
        assertTrue(item.differed());
        assertFalse(item.firstComparison(), "a second round is not a second change");
        assertFalse(item.firstComparison());
        assertTrue(item.differed());
    }

    @Test
    void the_breaker_judges_an_item_once_by_its_first_outcome() {
        PendingItem item = new PendingItem(row("A", 5, 10, 1));
        assertTrue(item.firstJudgement());
        assertFalse(item.firstJudgement());
        assertFalse(item.firstJudgement());
        assertFalse(item.differed(), "being judged is not being compared");
    }

    @Test
    void each_stale_round_is_counted_and_the_version_to_write_against_is_kept_until_cleared() {
        PendingItem item = new PendingItem(row("A", 5, 10, 1));
        assertNull(item.snapshot(), "read first");
        assertEquals(1, item.staleRound());
        assertEquals(2, item.staleRound());
        assertEquals(3, item.staleRound());

        ItemState s = new ItemState("7", "A", "M1", BigDecimal.ONE, "etag-1");
        item.snapshot(s);
        assertSame(s, item.snapshot());
        item.snapshot(null);
        assertNull(item.snapshot());
    }

    static ItemState erp(int onhand, String etag) {
        return new ItemState("7", "A", "M1", new BigDecimal(onhand), etag);
    }

    @Test
    void a_newer_version_that_changed_our_field_makes_the_item_wait_for_its_newest_wms_row() {
        PendingItem item = new PendingItem(row("A", 10, 10, 1));
        item.snapshot(erp(5, "e1"));

        item.metNewerVersion(erp(12, "e2"));

        assertTrue(item.wmsRowNeeded(), "someone else wrote OnhandQuantity: 5 -> 12");
        assertEquals("e2", item.snapshot().version(), "the newer version is the one to write against");
        item.wmsRowRead(row("A", 12, 20, 2));
        assertFalse(item.wmsRowNeeded());
        assertEquals(new BigDecimal(12), item.level().quantity(), "the newest WMS row, never the value held");
    }

    @Test
    void a_newer_version_with_our_field_unchanged_or_already_at_our_value_is_merged_as_before() {
        PendingItem other = new PendingItem(row("A", 10, 10, 1));
        other.snapshot(erp(5, "e1"));
        other.metNewerVersion(erp(5, "e2"));
        assertFalse(other.wmsRowNeeded(), "only other fields changed");

        PendingItem ours = new PendingItem(row("A", 10, 10, 1));
        ours.snapshot(erp(5, "e1"));
        ours.metNewerVersion(erp(10, "e2"));
        assertFalse(ours.wmsRowNeeded(), "the ERP already holds our value (our own write whose answer was lost)");
    }

    @Test
    void a_newer_version_read_again_is_judged_against_the_version_we_wrote_over() {
        PendingItem item = new PendingItem(row("A", 10, 10, 1));
        item.snapshot(erp(5, "e1"));
        item.metNewerVersion(null);
        assertNull(item.snapshot(), "read again first");
        assertFalse(item.wmsRowNeeded(), "not judged before the read");

        item.reread(erp(12, "e2"));
        assertTrue(item.wmsRowNeeded());

        PendingItem unchanged = new PendingItem(row("A", 10, 10, 1));
        unchanged.snapshot(erp(5, "e1"));
        unchanged.metNewerVersion(null);
        unchanged.reread(erp(5, "e2"));
        assertFalse(unchanged.wmsRowNeeded());
        unchanged.reread(erp(12, "e3"));
        assertFalse(unchanged.wmsRowNeeded(), "judged once per newer version met, not on every later read");
    }

    @Test
    void an_older_or_missing_wms_row_leaves_the_row_in_hand() {
        PendingItem item = new PendingItem(row("A", 10, 10, 1));
        item.snapshot(erp(5, "e1"));
        item.metNewerVersion(erp(12, "e2"));
        item.wmsRowRead(row("A", 3, 5, 2));
        assertEquals(new BigDecimal(10), item.level().quantity());
        assertFalse(item.wmsRowNeeded());
        item.wmsRowRead(null);
        assertEquals(new BigDecimal(10), item.level().quantity());
    }
}
