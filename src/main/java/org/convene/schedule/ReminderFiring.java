package org.convene.schedule;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.convene.delivery.Outbox;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires every pending reminder due by now. Each reminder is one transaction: it becomes {@code fired}
 * and its deliveries enter the outbox together, so a crash leaves either both or neither, and a second
 * firing adds nothing.
 */
public final class ReminderFiring {
    private static final Logger log = LoggerFactory.getLogger(ReminderFiring.class);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;

    /** What one call did. */
    public record Result(int fired, int missed, int deliveries) {}

    public ReminderFiring(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
    }

    public Result fireDue() {
        Instant now = clock.instant();
        List<Reminder> due = jdbi.withExtension(ReminderDao.class, d -> d.dueBy(now));
        int fired = 0;
        int missed = 0;
        int deliveries = 0;
        for (Reminder reminder : due) {
            int[] outcome = jdbi.inTransaction(h -> {
                ReminderDao reminders = h.attach(ReminderDao.class);
                Optional<Meeting> meeting = new MeetingDao(h).find(reminder.meetingId());
                if (meeting.isEmpty() || meeting.get().cancelled()) {
                    reminders.cancelPending(reminder.meetingId());
                    return new int[] {0, 0, 0};
                }
                if (!meeting.get().startsAt().isAfter(now)) {
                    // Too late to be of use: the meeting has begun. Shown to the secretary as missed.
                    return new int[] {0, reminders.markMissed(reminder.id()), 0};
                }
                if (reminders.markFired(reminder.id(), now) == 0) return new int[] {0, 0, 0};
                int added = switch (reminder.kind()) {
                    case Reminder.AGENDA -> outbox.agenda(h, meeting.get(), reminder.id(), reminder.dueAt());
                    default -> outbox.reminder(h, meeting.get(), reminder.id(), reminder.dueAt());
                };
                return new int[] {1, 0, added};
            });
            fired += outcome[0];
            missed += outcome[1];
            deliveries += outcome[2];
            if (outcome[1] > 0) log.warn("reminder missed reminder={} meeting={} due={}", reminder.id(), reminder.meetingId(), reminder.dueAt());
            if (outcome[0] > 0) log.info("reminder fired reminder={} meeting={} deliveries={}", reminder.id(), reminder.meetingId(), outcome[2]);
        }
        if (deliveries > 0) deliveriesAdded.run();
        return new Result(fired, missed, deliveries);
    }
}
