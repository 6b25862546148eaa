package org.convene.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.convene.delivery.Outbox;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingHooks;
import org.convene.meeting.Requests.ReminderRequest;
import org.jdbi.v3.core.Handle;

/**
 * Plans a meeting's reminders in the meeting's own transaction and, once it commits, makes sure the
 * scheduler has a trigger for every new due instant. Changes re-plan what is still pending and tell the
 * chats when an agenda already went out; cancelling tells them when anything went out.
 */
public final class ReminderPlanner implements MeetingHooks {
    private final Clock clock;
    private final ReminderPlan defaultPlan;
    private final QuietHours quietHours;
    private final Outbox outbox;
    private final Triggers triggers;

    /** Where due instants go once committed; the Quartz adapter in production. */
    public interface Triggers {
        void ensure(Set<Instant> dueInstants);

        /** New deliveries are in the outbox. */
        void deliveriesAdded();
    }

    public ReminderPlanner(Clock clock, ReminderPlan defaultPlan, QuietHours quietHours, Outbox outbox, Triggers triggers) {
        this.clock = clock;
        this.defaultPlan = defaultPlan;
        this.quietHours = quietHours;
        this.outbox = outbox;
        this.triggers = triggers;
    }

    @Override
    public void validatePlan(List<ReminderRequest> plan) {
        ReminderPlan.parse(plan);
    }

    @Override
    public void created(Handle h, Meeting meeting, List<ReminderRequest> plan) {
        ReminderPlan chosen = plan == null ? defaultPlan : ReminderPlan.parse(plan);
        schedule(h, meeting, chosen.entries(), Set.of());
    }

    @Override
    public void changed(Handle h, Meeting before, Meeting after, List<ReminderRequest> plan) {
        ReminderDao reminders = h.attach(ReminderDao.class);
        boolean timeChanged = !before.startsAt().equals(after.startsAt());
        boolean placeChanged = !Objects.equals(before.location(), after.location());
        if (plan != null || timeChanged) {
            List<Reminder> existing = reminders.ofMeeting(after.id());
            List<ReminderPlan.Entry> entries = plan != null ? ReminderPlan.parse(plan).entries()
                    : existing.stream().filter(r -> r.state().equals(Reminder.PENDING))
                        .map(r -> ReminderPlan.parse(List.of(new ReminderRequest(r.offsetIso(), r.kind()))).entries().get(0))
                        .toList();
            Set<String> done = new HashSet<>();
            existing.stream().filter(r -> r.state().equals(Reminder.FIRED)).forEach(r -> done.add(r.offsetIso() + "/" + r.kind()));
            reminders.cancelPending(after.id());
            schedule(h, after, entries, done);
        }
        if ((timeChanged || placeChanged) && anythingWentOut(h, after.id(), true)) {
            if (outbox.changed(h, before, after) > 0) h.afterCommit(triggers::deliveriesAdded);
        }
    }

    @Override
    public void cancelled(Handle h, Meeting meeting) {
        h.attach(ReminderDao.class).cancelPending(meeting.id());
        if (anythingWentOut(h, meeting.id(), false)) {
            if (outbox.cancelled(h, meeting) > 0) h.afterCommit(triggers::deliveriesAdded);
        }
    }

    /**
     * The reminders the cancellation stopped are planned again (those already fired are not repeated), and
     * chats that were told of the cancellation are told the meeting is on.
     */
    @Override
    public void reinstated(Handle h, Meeting meeting) {
        List<Reminder> existing = h.attach(ReminderDao.class).ofMeeting(meeting.id());
        Set<String> done = new HashSet<>();
        existing.stream().filter(r -> r.state().equals(Reminder.FIRED)).forEach(r -> done.add(r.offsetIso() + "/" + r.kind()));
        Set<String> seen = new HashSet<>();
        List<ReminderPlan.Entry> entries = existing.stream().filter(r -> r.state().equals(Reminder.CANCELLED))
                .filter(r -> seen.add(r.offsetIso() + "/" + r.kind()))
                .map(r -> ReminderPlan.parse(List.of(new ReminderRequest(r.offsetIso(), r.kind()))).entries().get(0))
                .toList();
        schedule(h, meeting, entries, done);
        boolean told = h.createQuery("SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND kind = 'cancelled' AND state <> 'failed'")
                .bind("m", meeting.id()).mapTo(Integer.class).one() > 0;
        if (told && outbox.reinstated(h, meeting) > 0) h.afterCommit(triggers::deliveriesAdded);
    }

    private void schedule(Handle h, Meeting meeting, List<ReminderPlan.Entry> entries, Set<String> alreadyFired) {
        ReminderDao reminders = h.attach(ReminderDao.class);
        Instant now = clock.instant();
        ZoneId zone = ZoneId.of(meeting.zone());
        Set<Instant> instants = new HashSet<>();
        List<ReminderPlan.Entry> ordered = new ArrayList<>(entries);
        for (int i = 0; i < ordered.size(); i++) {
            ReminderPlan.Entry entry = ordered.get(i);
            if (alreadyFired.contains(entry.offset() + "/" + entry.kind())) continue;
            // scheduled too late for its slot, the agenda still goes out now (or when quiet hours end), a mere reminder is dropped
            java.util.Optional<Instant> when = ReminderPlan.due(entry, meeting.startsAt(), zone, quietHours, now);
            if (when.isEmpty()) continue;
            Instant due = when.get();
            reminders.insert(meeting.id(), i, entry.offset(), entry.kind(), due, now);
            instants.add(due);
        }
        if (!instants.isEmpty()) h.afterCommit(() -> triggers.ensure(instants));
    }

    /**
     * Whether an agenda (or, with {@code agendaOnly} false, any message) of the meeting went out or is on
     * its way: a queued agenda carries the old text, so its chats must hear of the change too.
     */
    private static boolean anythingWentOut(Handle h, long meetingId, boolean agendaOnly) {
        return h.createQuery("SELECT COUNT(*) FROM deliveries WHERE meeting_id = :m AND state <> 'failed'"
                        + (agendaOnly ? " AND kind = 'agenda'" : ""))
                .bind("m", meetingId).mapTo(Integer.class).one() > 0;
    }
}
