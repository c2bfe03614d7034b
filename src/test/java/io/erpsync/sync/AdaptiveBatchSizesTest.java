package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Map;

class AdaptiveBatchSizesTest {
    final AdaptiveBatchSizes sizes = new AdaptiveBatchSizes(true, 5, null, 0.5, 5);

    @Test
    void a_segment_starts_at_the_configured_size() {
        assertEquals(50, sizes.size("0|M1|A", 50));
        assertEquals(Map.of(), sizes.sizes());
    }

    @Test
    void a_conflicted_write_halves_the_segment_and_clean_writes_grow_it_back_by_slow_start() {
        sizes.answered("0|M1|A", 50, true);
        assertEquals(25, sizes.size("0|M1|A", 50));
        sizes.answered("0|M1|A", 50, true);
        assertEquals(12, sizes.size("0|M1|A", 50), "rounded down");
        sizes.answered("0|M1|A", 50, false);
        assertEquals(17, sizes.size("0|M1|A", 50), "within the clean spell: the additive step");
        sizes.answered("0|M1|A", 50, false);
        assertEquals(34, sizes.size("0|M1|A", 50), "two clean writes: doubled");
        assertEquals(Map.of("0|M1|A", 34), sizes.sizes());
        sizes.answered("0|M1|A", 50, false);
        sizes.answered("0|M1|A", 50, false);
        assertEquals(50, sizes.size("0|M1|A", 50), "doubled again, capped at the size before the conflicts");
    }

    @Test
    void back_at_the_ceiling_in_fewer_clean_writes_than_the_additive_step_and_never_above_it() {
        AdaptiveBatchSizes c = new AdaptiveBatchSizes(true, 5, null, 0.5, 5);
        for (int i = 0; i < 4; i++) {
            c.answered("s", 100, true);
        }
        assertEquals(6, c.size("s", 100));
        int writes = 0;
        while (c.size("s", 100) < 100 && writes < 100) {
            c.answered("s", 100, false);
            writes++;
            assertTrue(c.size("s", 100) <= 100, "never above the ceiling");
        }
        assertEquals(100, c.size("s", 100));
        assertTrue(writes <= 10, "back in " + writes + " clean writes, where the additive step takes 19");
    }

    @Test
    void a_conflict_right_after_a_jump_halves_again_and_forgets_the_size_before() {
        sizes.answered("s", 100, true);
        sizes.answered("s", 100, false);
        sizes.answered("s", 100, false);
        assertEquals(100, sizes.size("s", 100), "55, then doubled to the size before the conflict");
        sizes.answered("s", 100, true);
        assertEquals(50, sizes.size("s", 100));
        sizes.answered("s", 100, false);
        sizes.answered("s", 100, false);
        sizes.answered("s", 100, false);
        assertEquals(65, sizes.size("s", 100), "plain AIMD after a failed jump");
    }

    @Test
    void segments_adapt_apart() {
        sizes.answered("0|M1|A", 50, true);
        assertEquals(25, sizes.size("0|M1|A", 50));
        assertEquals(50, sizes.size("1|M1|B", 50));
    }

    @Test
    void never_below_the_floor_nor_above_the_configured_size() {
        for (int i = 0; i < 10; i++) {
            sizes.answered("s", 50, true);
        }
        assertEquals(5, sizes.size("s", 50));
        for (int i = 0; i < 20; i++) {
            sizes.answered("s", 50, false);
        }
        assertEquals(50, sizes.size("s", 50));
        sizes.answered("s", 50, false);
        assertEquals(50, sizes.sizes().get("s"));
    }

    @Test
    void a_smaller_configured_size_for_the_next_window_caps_what_was_grown() {
        sizes.answered("s", 100, false);
        assertEquals(100, sizes.size("s", 100));
        assertEquals(25, sizes.size("s", 25));
        assertEquals(Map.of("s", 25), sizes.sizes(), "the status page and metrics show the size in force, not the one grown before");
        sizes.answered("s", 25, true);
        assertEquals(12, sizes.size("s", 25));
    }

    @Test
    void a_configured_size_below_the_floor_is_kept() {
        sizes.answered("s", 3, true);
        assertEquals(3, sizes.size("s", 3));
    }

    @Test
    void a_ceiling_lets_a_clean_segment_grow_past_the_configured_size() {
        AdaptiveBatchSizes c = new AdaptiveBatchSizes(true, 5, 60, 0.5, 7);
        c.answered("s", 50, false);
        assertEquals(57, c.size("s", 50));
        c.answered("s", 50, false);
        assertEquals(60, c.size("s", 50));
        assertEquals(60, c.size("t", 80), "a new segment starts at most at the ceiling");
        c.answered("s", 50, true);
        assertEquals(30, c.size("s", 50));
    }

    @Test
    void switched_off_every_write_has_the_configured_size() {
        AdaptiveBatchSizes off = new AdaptiveBatchSizes(false, 5, null, 0.5, 5);
        off.answered("s", 50, true);
        assertEquals(50, off.size("s", 50));
        assertEquals(Map.of(), off.sizes());
    }

    @Test
    void wrong_settings_are_refused_naming_the_key() {
        assertTrue(refused(0, null, 0.5, 5).contains("sync.batch.adaptive.floor"));
        assertTrue(refused(501, null, 0.5, 5).contains("sync.batch.adaptive.floor"));
        assertTrue(refused(5, 4, 0.5, 5).contains("sync.batch.adaptive.ceiling"));
        assertTrue(refused(5, 501, 0.5, 5).contains("sync.batch.adaptive.ceiling"));
        assertTrue(refused(5, null, 0, 5).contains("sync.batch.adaptive.decrease"));
        assertTrue(refused(5, null, 1, 5).contains("sync.batch.adaptive.decrease"));
        assertTrue(refused(5, null, 0.5, 0).contains("sync.batch.adaptive.increase"));
        assertEquals(1, new AdaptiveBatchSizes(true, 1, 1, 0.5, 1).size("s", 500));
        assertEquals(500, new AdaptiveBatchSizes(true, 500, 500, 0.99, 1).size("s", 500));
    }

    private static String refused(int floor, Integer ceiling, double decrease, int increase) {
        return assertThrows(IllegalStateException.class, () -> new AdaptiveBatchSizes(true, floor, ceiling, decrease, increase)).getMessage();
    }
}
