package io.erpsync.sync;

import io.erpsync.erp.ItemSnapshot;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static io.erpsync.sync.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        ItemSnapshot s = new ItemSnapshot(7L, "A", "M1", BigDecimal.ONE, "etag-1");
        item.snapshot(s);
        assertSame(s, item.snapshot());
        item.snapshot(null);
        assertNull(item.snapshot());
    }
}
