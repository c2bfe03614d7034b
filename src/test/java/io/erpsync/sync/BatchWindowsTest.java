package io.erpsync.sync;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWindowsTest {
    final BatchWindows w = BatchWindows.parse("Mon-Fri 08:00-18:00=25; Sat-Sun 00:00-24:00=200; default=100", 50,
            ZoneId.of("Europe/Berlin"));

    @Test
    void business_hours_in_the_configured_zone_get_the_small_batches() {
        // Tuesday 2026-03-03 09:30 in Berlin is 08:30 UTC
        assertEquals(25, w.sizeAt(Instant.parse("2026-03-03T08:30:00Z")));
        // Tuesday 07:30 UTC is 08:30 in Berlin too; 06:30 UTC is 07:30 there, before the window
        assertEquals(100, w.sizeAt(Instant.parse("2026-03-03T06:30:00Z")));
        // 18:00 Berlin is the end, exclusive
        assertEquals(100, w.sizeAt(Instant.parse("2026-03-03T17:00:00Z")));
        assertEquals(200, w.sizeAt(Instant.parse("2026-03-07T12:00:00Z")), "Saturday");
    }

    @Test
    void without_windows_every_cycle_uses_the_batch_size() {
        assertEquals(50, BatchWindows.parse("", 50, ZoneId.of("UTC")).sizeAt(Instant.parse("2026-03-03T08:30:00Z")));
    }

    @Test
    void a_wrong_window_is_a_setting_error_naming_the_entry() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BatchWindows.parse("Mon-Fry 08:00-18:00=25", 50, ZoneId.of("UTC")));
        assertTrue(e.getMessage().contains("unknown day 'Fry'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> BatchWindows.parse("Mon 08:00-18:00=900", 50, ZoneId.of("UTC")));
    }
}
