package io.erpsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayFilterTest {

    @Test
    void filters_read_as_operators_write_them() {
        assertEquals(new ReplayFilter(null, null, null), ReplayFilter.parse("all"));
        assertEquals(new ReplayFilter(null, null, null), ReplayFilter.parse(null));
        assertEquals(new ReplayFilter(42L, null, null), ReplayFilter.parse("id=42"));
        assertEquals(new ReplayFilter(null, "ITM-2847", "RECORD_LOCKED"), ReplayFilter.parse(" item=ITM-2847 , class=record_locked"));
    }

    @Test
    void a_mistyped_filter_is_refused_with_what_to_write_instead() {
        String id = assertThrows(IllegalArgumentException.class, () -> ReplayFilter.parse("id=forty-two")).getMessage();
        String cls = assertThrows(IllegalArgumentException.class, () -> ReplayFilter.parse("class=LOCKED")).getMessage();
        String key = assertThrows(IllegalArgumentException.class, () -> ReplayFilter.parse("colour=red")).getMessage();

        assertEquals("replay filter 'id=forty-two': id must be a number", id);
        assertEquals("replay filter 'class=LOCKED': no failure class LOCKED", cls);
        assertTrue(key.contains("unknown key colour") && key.contains("id=<exception id>, item=<ItemNumber>"), key);
    }

    @Test
    void a_key_without_a_value_is_refused() {
        for (String text : new String[] {"item=", "item= ", "id", "all,class"}) {
            assertEquals("replay filter '" + text + "': use all, id=<exception id>, item=<ItemNumber>, class=<failure class>",
                    assertThrows(IllegalArgumentException.class, () -> ReplayFilter.parse(text)).getMessage(), text);
        }
        assertEquals(new ReplayFilter(null, null, null), ReplayFilter.parse("  "));
        assertEquals(new ReplayFilter(7L, null, null), ReplayFilter.parse("id = 7"));
        assertEquals(new ReplayFilter(null, null, null), ReplayFilter.parse(" ALL "));
    }
}
