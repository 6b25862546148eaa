package org.convene.web;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Unit;

/**
 * The simple slot finder: weekday evenings 19:00–21:30 and weekend mornings 08:00–11:30 in the unit's
 * zone, on the half hour, skipping times that clash with the unit's own meetings. Members work by day,
 * so these are the times a cell actually meets.
 */
final class EveningAndWeekendSlots implements FreeSlots {
    private static final LocalTime EVENING_FROM = LocalTime.of(19, 0);
    private static final LocalTime EVENING_TO = LocalTime.of(21, 30);
    private static final LocalTime MORNING_FROM = LocalTime.of(8, 0);
    private static final LocalTime MORNING_TO = LocalTime.of(11, 30);
    private static final int STEP_MINUTES = 30;

    private final MeetingService meetings;

    EveningAndWeekendSlots(MeetingService meetings) {
        this.meetings = meetings;
    }

    @Override
    public List<Slot> find(Unit unit, Instant from, Instant to, int durationMinutes) {
        ZoneId zone = unit.zone();
        Duration length = Duration.ofMinutes(durationMinutes);
        List<Meeting> taken = meetings.list(List.of(unit.id()), from.minus(Duration.ofDays(1)), to.plus(Duration.ofDays(1))).stream()
                .filter(m -> !m.cancelled()).toList();
        List<Slot> slots = new ArrayList<>();
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.atStartOfDay(zone).toInstant().isAfter(to); day = day.plusDays(1)) {
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            LocalTime windowFrom = weekend ? MORNING_FROM : EVENING_FROM;
            LocalTime windowTo = weekend ? MORNING_TO : EVENING_TO;
            int last = Math.max(windowFrom.toSecondOfDay() / 60, windowTo.toSecondOfDay() / 60 - durationMinutes);
            // a meeting longer than the window is offered at the window's start only
            for (int minute = windowFrom.toSecondOfDay() / 60; minute <= last; minute += STEP_MINUTES) {
                ZonedDateTime start = day.atTime(LocalTime.ofSecondOfDay(minute * 60L)).atZone(zone);
                Instant s = start.toInstant();
                Instant e = s.plus(length);
                if (s.isBefore(from) || !s.isBefore(to)) continue;
                if (taken.stream().noneMatch(m -> overlaps(m, s, e))) slots.add(new Slot(s, e, weekend ? "weekend" : "evening"));
            }
        }
        return slots;
    }

    private static boolean overlaps(Meeting m, Instant start, Instant end) {
        Instant mEnd = m.startsAt().plus(Duration.ofMinutes(m.durationMinutes()));
        return m.startsAt().isBefore(end) && start.isBefore(mEnd);
    }
}
