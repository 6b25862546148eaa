package org.convene.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Requests.ReminderRequest;

/** A meeting's reminders as offsets before its start, and the pure rules that turn them into due instants. */
public record ReminderPlan(List<Entry> entries) {
    static final Set<String> KINDS = Set.of(Reminder.AGENDA, Reminder.REMINDER, Reminder.CHASE);
    private static final Duration LONGEST = Duration.ofDays(60);

    /** {@code days} and {@code time} are kept apart: days count on the unit's calendar, across DST changes too. */
    public record Entry(String offset, int days, Duration time, String kind) {}

    public ReminderPlan {
        entries = List.copyOf(entries);
    }

    /** Reads a plan; the first reminder is the agenda unless told otherwise, the rest are short reminders. */
    public static ReminderPlan parse(List<ReminderRequest> requests) {
        List<FieldError> errors = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        if (requests.size() > 10) errors.add(new FieldError("reminders", "has more than 10 reminders"));
        for (int i = 0; i < requests.size(); i++) {
            ReminderRequest r = requests.get(i);
            String field = "reminders[" + i + "]";
            if (r == null || r.offset() == null || r.offset().isBlank()) {
                errors.add(new FieldError(field + ".offset", "is required, an ISO-8601 duration such as P3D or PT2H"));
                continue;
            }
            String kind = r.kind() != null ? r.kind() : i == 0 ? Reminder.AGENDA : Reminder.REMINDER;
            if (!KINDS.contains(kind)) errors.add(new FieldError(field + ".kind", "must be one of agenda, reminder, chase"));
            Entry entry = entry(r.offset().strip(), kind);
            if (entry == null) {
                errors.add(new FieldError(field + ".offset", "is not an ISO-8601 duration such as P3D, PT2H or P1DT30M: " + r.offset()));
            } else if (entry.days() < 0 || entry.time().isNegative() || Duration.ofDays(entry.days()).plus(entry.time()).compareTo(LONGEST) > 0) {
                errors.add(new FieldError(field + ".offset", "must be between PT0S and P60D before the start"));
            } else {
                entries.add(entry);
            }
        }
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return new ReminderPlan(entries);
    }

    private static Entry entry(String offset, String kind) {
        try {
            Duration d = Duration.parse(offset);
            long days = d.toDays();
            return new Entry(offset, (int) days, d.minusDays(days), kind);
        } catch (DateTimeException e) {
            // weeks ("P1W") and day-only periods parse as a Period
        }
        try {
            Period p = Period.parse(offset);
            if (p.getYears() != 0 || p.getMonths() != 0 || p.getDays() < 0) return null;
            return new Entry(offset, p.getDays(), Duration.ZERO, kind);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * When one entry goes out, planned at {@code now}; empty when it is dropped. Its slot moved out of
     * quiet hours, when still to come. A slot that has passed goes now for an agenda (documents are
     * needed however late), and for any reminder whose slot only passed because quiet hours moved it
     * earlier; a mere reminder late for its own slot is dropped, and so is everything once the meeting
     * has begun. What goes "now" during quiet hours waits until they end when that is still before the
     * meeting; only when the meeting itself starts inside them does it go at once (and its message says
     * why): never silently in the night.
     */
    public static java.util.Optional<Instant> due(Entry entry, Instant start, ZoneId zone, QuietHours quiet, Instant now) {
        Instant slot = due(entry, start, zone, quiet);
        if (!slot.isBefore(now)) return java.util.Optional.of(slot);
        if (!start.isAfter(now)) return java.util.Optional.empty();
        boolean movedByQuiet = !slot.equals(unshifted(entry, start, zone));
        if (!movedByQuiet && !entry.kind().equals(Reminder.AGENDA)) return java.util.Optional.empty();
        if (!quiet.contains(now, zone)) return java.util.Optional.of(now);
        Instant end = quiet.endAfter(now, zone);
        return java.util.Optional.of(end.isBefore(start) ? end : now);
    }

    private static Instant unshifted(Entry entry, Instant start, ZoneId zone) {
        return start.atZone(zone).minusDays(entry.days()).minus(entry.time()).toInstant();
    }

    /** The due instant of one entry: days back on the local calendar, then the time part, then out of quiet hours. */
    public static Instant due(Entry entry, Instant start, ZoneId zone, QuietHours quiet) {
        return quiet.shiftOut(unshifted(entry, start, zone), zone);
    }
}
