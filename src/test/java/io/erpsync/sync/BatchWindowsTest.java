package io.erpsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

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

    /** The batch size at this time of day (UTC) on each day of the week of Monday 2026-03-02, Monday first. */
    static java.util.List<Integer> week(BatchWindows w, String time) {
        Instant monday = Instant.parse("2026-03-02T" + time + ":00Z");
        return java.util.stream.IntStream.range(0, 7).mapToObj(d -> w.sizeAt(monday.plus(java.time.Duration.ofDays(d)))).toList();
    }

    @Test
    void a_single_day_window_holds_that_whole_day_only() {
        BatchWindows sat = BatchWindows.parse("Sat 00:00-24:00=200", 50, ZoneId.of("UTC"));
        assertEquals(java.util.List.of(50, 50, 50, 50, 50, 200, 50), week(sat, "00:00"), "Saturday from midnight");
        assertEquals(java.util.List.of(50, 50, 50, 50, 50, 200, 50), week(sat, "23:59"), "to the end of the day");
    }

    @Test
    void two_ranges_on_one_day_each_get_their_size_and_the_first_that_holds_the_time_wins() {
        BatchWindows mon = BatchWindows.parse("Mon 00:00-06:00=200;Mon 06:00-18:00=25; Mon 00:00-24:00=80 ;; default=100", 50, ZoneId.of("UTC"));
        assertEquals(200, mon.sizeAt(Instant.parse("2026-03-02T05:59:00Z")));
        assertEquals(25, mon.sizeAt(Instant.parse("2026-03-02T06:00:00Z")), "a window starts at its start");
        assertEquals(java.util.List.of(80, 100, 100, 100, 100, 100, 100), week(mon, "18:00"), "the second has ended: the third holds");
    }

    @Test
    void a_day_list_and_a_range_across_the_weekend_are_read() {
        BatchWindows w = BatchWindows.parse("Mon,Wed 08:00-09:00=10; Fri-Mon 12:00-13:00=20", 50, ZoneId.of("UTC"));
        assertEquals(java.util.List.of(10, 50, 10, 50, 50, 50, 50), week(w, "08:30"));
        assertEquals(java.util.List.of(20, 50, 50, 50, 20, 20, 20), week(w, "12:30"));
    }

    @Test
    void each_malformed_entry_is_refused_saying_what_was_expected() {
        java.util.Map<String, String> why = java.util.Map.of("Mon 08:00-18:00", "missing =<size>",
                "=25", "expected '<days> <HH:mm>-<HH:mm>=<size>'", "Mon08:00-18:00=25", "expected '<days> <HH:mm>-<HH:mm>=<size>'",
                "Mon 08:00=25", "expected a time range HH:mm-HH:mm", "Mon 8h-18:00=25", "not a time '8h' (HH:mm)",
                "Mon 08:00-18:00=lots", "not a batch size 'lots'",
                "Mon-Fri 22:00-06:00=200", "a window ends after it starts, within its day; for a night write two, e.g. Mon-Fri 22:00-24:00=200; "
                        + "Tue-Sat 00:00-06:00=200",
                "Mon 08:00-08:00=25", "a window ends after it starts, within its day; for a night write two, e.g. Mon-Fri 22:00-24:00=200; "
                        + "Tue-Sat 00:00-06:00=200");
        why.forEach((spec, reason) -> assertEquals("sync.batch.windows '" + spec + "': entry '" + spec + "': " + reason,
                assertThrows(IllegalStateException.class, () -> BatchWindows.parse(spec, 50, ZoneId.of("UTC"))).getMessage()));
    }
}
