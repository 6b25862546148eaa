package org.convene.schedule;

import java.util.List;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Requests.ReminderRequest;

/**
 * A new series, or a change to one (every field optional then, {@code from} the first day it applies
 * to). Dates and times are text as the caller wrote them; the service reads and checks them.
 */
public record SeriesRequest(Long unitId, String title, String kind, String rrule, Integer lunarDay, String startDate, String startTime,
                            Integer durationMinutes, String holidayPolicy, List<ReminderRequest> reminders, List<AgendaItem> agenda,
                            String location, String from) {}
