package org.convene.meeting;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** A meeting of a unit; {@code zone} is the unit's zone when it was scheduled, used for every local rendering. */
public record Meeting(long id, long unitId, String title, MeetingKind kind, Instant startsAt, String zone,
                      int durationMinutes, String location, String status, String cancelReason, int version,
                      List<AgendaItem> agenda, List<Long> observerUnitIds, Instant createdAt, Instant updatedAt, String theme,
                      boolean recorded) {
    public static final String SCHEDULED = "scheduled";
    public static final String CANCELLED = "cancelled";
    public static final String HELD = "held";

    public Meeting {
        agenda = List.copyOf(agenda);
        observerUnitIds = List.copyOf(observerUnitIds);
    }

    public Meeting(long id, long unitId, String title, MeetingKind kind, Instant startsAt, String zone, int durationMinutes,
                   String location, String status, String cancelReason, int version, List<AgendaItem> agenda,
                   List<Long> observerUnitIds, Instant createdAt, Instant updatedAt) {
        this(id, unitId, title, kind, startsAt, zone, durationMinutes, location, status, cancelReason, version, agenda, observerUnitIds,
                createdAt, updatedAt, null, false);
    }

    public ZonedDateTime localStart() {
        return startsAt.atZone(ZoneId.of(zone));
    }

    public boolean cancelled() {
        return CANCELLED.equals(status);
    }
}
