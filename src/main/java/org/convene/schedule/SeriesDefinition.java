package org.convene.schedule;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Requests.ReminderRequest;

/**
 * What a series makes from a date on: its rule (anchored at {@code anchorDate}, the RRULE's DTSTART),
 * the local time, and the template of each meeting. {@code reminders} null means the default plan.
 */
public record SeriesDefinition(String title, String kind, String rrule, Integer lunarDay, LocalDate anchorDate, LocalTime startTime,
                               int durationMinutes, String holidayPolicy, List<ReminderRequest> reminders, List<AgendaItem> agenda,
                               String location) {
    public SeriesDefinition {
        agenda = agenda == null ? List.of() : List.copyOf(agenda);
        reminders = reminders == null ? null : List.copyOf(reminders);
    }

    public Recurrence recurrence() {
        return Recurrence.parse(rrule, lunarDay);
    }

    public HolidayPolicy policy() {
        return HolidayPolicy.parse(holidayPolicy).orElse(HolidayPolicy.ALLOW);
    }
}
