package org.convene.schedule;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Hours in which the bot stays silent (default 21:30–06:30 local). A reminder falling inside them
 * moves earlier, to just before they begin: members would rather read it late in the evening than
 * be woken by it.
 */
public record QuietHours(LocalTime start, LocalTime end) {
    public static final QuietHours NONE = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public boolean enabled() {
        return !start.equals(end);
    }

    public boolean contains(Instant instant, ZoneId zone) {
        if (!enabled()) return false;
        LocalTime t = instant.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /** When the quiet hours that {@code instant} falls in end (the next end of them after it). */
    public Instant endAfter(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        ZonedDateTime end = local.with(this.end);
        if (!end.isAfter(local)) end = end.plusDays(1);
        return end.toInstant();
    }

    /** The instant itself when it is outside quiet hours, else one minute before the quiet hours it falls in began. */
    public Instant shiftOut(Instant instant, ZoneId zone) {
        if (!contains(instant, zone)) return instant;
        ZonedDateTime local = instant.atZone(zone);
        ZonedDateTime began = local.with(start);
        if (began.isAfter(local)) began = began.minusDays(1);
        return began.minusMinutes(1).toInstant();
    }
}
