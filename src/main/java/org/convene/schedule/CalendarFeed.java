package org.convene.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Action;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.Meeting;

/**
 * Meetings as iCalendar (RFC 5545) for calendar apps: one VEVENT per meeting with a UID that never
 * changes, SEQUENCE = the meeting's version (bumped by every change), STATUS:CANCELLED for cancelled
 * ones, local times with TZID and the zone's VTIMEZONE (strict clients such as Outlook need it), and a
 * VALARM for each reminder still to come. Output depends only on the meetings (DTSTAMP is their last
 * change), so a feed that did not change reads the same.
 */
public final class CalendarFeed {
    /** How often subscribed calendars should come back for changes. */
    private static final Duration REFRESH = Duration.ofHours(1);
    private static final TimeZoneRegistry ZONES = TimeZoneRegistryFactory.getInstance().createRegistry();

    /** A meeting with the reminder offsets still pending, and the link to its page (or null). */
    public record Entry(Meeting meeting, List<Reminder> reminders) {}

    private CalendarFeed() {}

    public static String render(String calendarName, List<Entry> entries) {
        Calendar calendar = new Calendar().withProdId("-//Convene//Convene meetings//EN").withDefaults().getFluentTarget();
        calendar.add(new Method(Method.VALUE_PUBLISH));
        calendar.add(new XProperty("X-WR-CALNAME", calendarName));
        calendar.add(new XProperty("X-PUBLISHED-TTL", REFRESH.toString()));
        calendar.add(new XProperty("REFRESH-INTERVAL;VALUE=DURATION", REFRESH.toString()));
        Map<String, TimeZone> zones = new LinkedHashMap<>();
        List<VEvent> events = new ArrayList<>();
        for (Entry e : entries) {
            TimeZone zone = zones.computeIfAbsent(e.meeting().zone(), ZONES::getTimeZone);
            events.add(event(e, zone));
        }
        zones.values().stream().filter(z -> z != null).forEach(z -> calendar.add(z.getVTimeZone()));
        events.forEach(calendar::add);
        return calendar.toString();
    }

    private static VEvent event(Entry e, TimeZone zone) {
        Meeting m = e.meeting();
        // with no VTIMEZONE for the zone, UTC times are the honest fallback
        ZoneId id = zone != null ? ZoneId.of(m.zone()) : ZoneId.of("UTC");
        ZonedDateTime start = m.startsAt().atZone(id);
        VEvent event = new VEvent(start, start.plusMinutes(m.durationMinutes()), m.title());
        event.replace(new DtStamp(m.updatedAt()));
        event.add(new Uid("meeting-" + m.id() + "@convene"));
        event.add(new Sequence(m.version()));
        event.add(new LastModified(m.updatedAt()));
        event.add(new Status(m.cancelled() ? Status.VALUE_CANCELLED : Status.VALUE_CONFIRMED));
        if (m.location() != null) event.add(new Location(m.location()));
        String description = description(m);
        if (!description.isEmpty()) event.add(new Description(description));
        if (!m.cancelled()) {
            Set<Duration> offsets = new LinkedHashSet<>();
            for (Reminder r : e.reminders()) {
                if (!Reminder.PENDING.equals(r.state())) continue;
                ReminderPlan.Entry entry = ReminderPlan.parse(List.of(new org.convene.meeting.Requests.ReminderRequest(r.offsetIso(), r.kind()))).entries().get(0);
                offsets.add(Duration.ofDays(entry.days()).plus(entry.time()));
            }
            for (Duration offset : offsets) {
                VAlarm alarm = new VAlarm(offset.negated());
                alarm.add(new Action(Action.VALUE_DISPLAY));
                alarm.add(new Description(m.title()));
                event.add(alarm);
            }
        }
        return event;
    }

    /** The agenda, numbered as in the chat, and the reason of a cancellation. */
    private static String description(Meeting m) {
        StringBuilder text = new StringBuilder();
        if (m.cancelled() && m.cancelReason() != null) text.append(m.cancelReason()).append("\n\n");
        List<AgendaItem> agenda = m.agenda();
        for (int i = 0; i < agenda.size(); i++) {
            AgendaItem item = agenda.get(i);
            text.append(i + 1).append(". ").append(item.title());
            if (item.presenter() != null) text.append(" (").append(item.presenter()).append(")");
            if (item.minutes() != null) text.append(", ").append(item.minutes()).append("'");
            text.append('\n');
        }
        return text.toString().strip();
    }
}
