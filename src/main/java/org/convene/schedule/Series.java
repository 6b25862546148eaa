package org.convene.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * A recurring meeting of a unit. Its segments, oldest first, each say what the series makes from
 * their date on; {@code until} (inclusive) ends it, or is null.
 */
public record Series(long id, long unitId, String zone, LocalDate until, int version, Instant createdAt, Instant updatedAt,
                     List<Segment> segments) {
    /** What the series makes from {@code from} on, until the next segment begins. */
    public record Segment(LocalDate from, SeriesDefinition definition) {}

    public Series {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) throw new IllegalArgumentException("a series has at least one segment");
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }

    public Segment current() {
        return segments.get(segments.size() - 1);
    }

    /** The segment in force on {@code date}: the last one that began on or before it (the first one before the series began). */
    public Segment at(LocalDate date) {
        Segment found = segments.get(0);
        for (Segment s : segments) if (!s.from().isAfter(date)) found = s;
        return found;
    }

    /** The last day {@code segment} is in force: the day before the next one begins, or null when it is the last. */
    public LocalDate lastDayOf(Segment segment) {
        int i = segments.indexOf(segment);
        return i + 1 < segments.size() ? segments.get(i + 1).from().minusDays(1) : null;
    }
}
