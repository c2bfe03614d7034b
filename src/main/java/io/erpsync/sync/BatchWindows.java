package io.erpsync.sync;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The batch size for the time a cycle starts (sync.batch.windows), e.g.
 * {@code Mon-Fri 08:00-18:00=25; default=100}: small batches while people and scheduled jobs hold
 * item locks, large ones at night. Windows are tried in order; the first that contains the time wins.
 */
public final class BatchWindows {
    record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to, int size) {
        boolean contains(ZonedDateTime t) {
            LocalTime time = t.toLocalTime();
            return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && (to == null || time.isBefore(to));
        }
    }

    private final List<Window> windows;
    private final int fallback;
    private final ZoneId zone;

    private BatchWindows(List<Window> windows, int fallback, ZoneId zone) {
        this.windows = windows;
        this.fallback = fallback;
        this.zone = zone;
    }

    /** {@code spec} may be empty: then every cycle uses {@code defaultSize}. */
    public static BatchWindows parse(String spec, int defaultSize, ZoneId zone) {
        List<Window> windows = new ArrayList<>();
        int fallback = BatchSize.checked(defaultSize);
        if (spec != null) {
            for (String entry : spec.split(";")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.lastIndexOf('=');
                if (eq < 0) {
                    throw invalid(spec, e, "missing =<size>");
                }
                int size = size(spec, e, e.substring(eq + 1).trim());
                String when = e.substring(0, eq).trim();
                if (when.equalsIgnoreCase("default")) {
                    fallback = size;
                    continue;
                }
                String[] parts = when.split("\\s+");
                if (parts.length != 2) {
                    throw invalid(spec, e, "expected '<days> <HH:mm>-<HH:mm>=<size>'");
                }
                String[] times = parts[1].split("-");
                if (times.length != 2) {
                    throw invalid(spec, e, "expected a time range HH:mm-HH:mm");
                }
                LocalTime from = time(spec, e, times[0]);
                LocalTime to = end(spec, e, times[1]);
                if (to != null && !to.isAfter(from)) {
                    // why: 22:00-06:00 would match no time at all, silently
                    throw invalid(spec, e, "a window ends after it starts, within its day; for a night write two, e.g. "
                            + "Mon-Fri 22:00-24:00=200; Tue-Sat 00:00-06:00=200");
                }
                windows.add(new Window(days(spec, e, parts[0]), from, to, size));
            }
        }
        return new BatchWindows(List.copyOf(windows), fallback, zone);
    }

    public int sizeAt(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        for (Window w : windows) {
            if (w.contains(local)) {
                return w.size();
            }
        }
        return fallback;
    }

    private static Set<DayOfWeek> days(String spec, String entry, String text) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            DayOfWeek from = day(spec, entry, range[0]);
            DayOfWeek to = range.length > 1 ? day(spec, entry, range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                out.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String spec, String entry, String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw invalid(spec, entry, "unknown day '" + text + "' (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    private static LocalTime time(String spec, String entry, String text) {
        try {
            return LocalTime.parse(text.trim());
        } catch (RuntimeException e) {
            throw invalid(spec, entry, "not a time '" + text + "' (HH:mm)");
        }
    }

    /** 24:00 is the end of the day. */
    private static LocalTime end(String spec, String entry, String text) {
        return text.trim().equals("24:00") ? null : time(spec, entry, text);
    }

    private static int size(String spec, String entry, String text) {
        try {
            return BatchSize.checked(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw invalid(spec, entry, "not a batch size '" + text + "'");
        } catch (IllegalArgumentException e) {
            throw invalid(spec, entry, e.getMessage());
        }
    }

    private static IllegalStateException invalid(String spec, String entry, String why) {
        return new IllegalStateException("sync.batch.windows '" + spec + "': entry '" + entry + "': " + why);
    }
}
