package io.erpsync.conflict;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The Retry-After header, RFC 9110 section 10.2.3: delay-seconds or an HTTP-date, in any of the three
 * forms a recipient must read (section 5.6.7: IMF-fixdate, RFC 850, asctime).
 */
public final class RetryAfter {
    /** The longest wait a Retry-After is read as (the retry policies cap far below it): more digits than a long holds ask for this. */
    static final Duration LONGEST = Duration.ofDays(1);

    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss zzz", Locale.US);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {
    }

    /** The wait it asks for from {@code now}, at most {@link #LONGEST}; empty when absent or unreadable (then the policy alone decides). */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            return Optional.of(v.length() > 12 ? LONGEST : min(Duration.ofSeconds(Long.parseLong(v))));
        }
        Instant at = date(v, now);
        if (at == null) {
            return Optional.empty();
        }
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : min(d));
    }

    private static Instant date(String v, Instant now) {
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // the obsolete forms below
        }
        try {
            // the day's name left out: it fits only the century the year turns out to be in
            ZonedDateTime at = ZonedDateTime.parse(v.substring(v.indexOf(',') + 1).trim(), RFC_850);
            // why: a two-digit year more than 50 years ahead is the most recent past year with those digits (RFC 9110)
            return (at.getYear() > now.atZone(ZoneOffset.UTC).getYear() + 50 ? at.minusYears(100) : at).toInstant();
        } catch (DateTimeParseException e) {
            // asctime, below
        }
        try {
            return ZonedDateTime.parse(v, ASCTIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration min(Duration d) {
        return d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }
}
