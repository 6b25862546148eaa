package org.convene.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    private final WaveTime waveTime;
    private final Duration maxPreroll;

    /** How long sending a set of messages (by platform) takes at the platforms' rates, after what is queued before the deadline. */
    public interface WaveTime {
        Duration toSend(Map<String, Long> messagesByPlatform, Instant deadline);

        WaveTime INSTANT = (messages, deadline) -> Duration.ZERO;
    }

    /** What one call did. */
    public record Result(int fired, int missed, int deliveries) {}

    public ReminderFiring(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded, WaveTime waveTime, Duration maxPreroll) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
        this.waveTime = waveTime;
        this.maxPreroll = maxPreroll;
    }

    /**
     * How early the wave due at {@code due} must start to be sent by then at the platforms' rates
     * (deadline-aware), never more than the configured maximum.
     */
    public Duration preroll(Instant due) {
        if (maxPreroll.isZero()) return Duration.ZERO;
        Map<String, Long> messages = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT c.platform, 1 + CASE WHEN r.kind = 'agenda' THEN
                               (SELECT COUNT(*) FROM materials m WHERE m.meeting_id = r.meeting_id AND m.confidential = 0) ELSE 0 END AS n
                        FROM reminders r JOIN meetings mt ON mt.id = r.meeting_id
                        JOIN chats c ON c.unit_id = mt.unit_id AND c.state = 'active'
                        WHERE r.state = 'pending' AND r.due_at = :due""")
                .bind("due", due)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list()
                .forEach(e -> messages.merge(e.getKey(), e.getValue(), Long::sum)));
        if (messages.isEmpty()) return Duration.ZERO;
        Duration needed = waveTime.toSend(messages, due);
        return needed.compareTo(maxPreroll) > 0 ? maxPreroll : needed;
    }

    /** Fires every pending reminder that is due, or whose wave must start now to be sent by its due instant. */
    public Result fireDue() {
        Instant now = clock.instant();
        List<Reminder> candidates = jdbi.withExtension(ReminderDao.class, d -> d.dueBy(now.plus(maxPreroll)));
        Map<Instant, Duration> prerolls = new HashMap<>();
        List<Reminder> due = candidates.stream()
                .filter(r -> !r.dueAt().isAfter(now) || !r.dueAt().minus(prerolls.computeIfAbsent(r.dueAt(), this::preroll)).isAfter(now))
                .toList();
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
                    // a chase names only those who have not answered, and is skipped when everyone has
                    case Reminder.CHASE -> outbox.chase(h, meeting.get(), reminder.id(), "reminder:" + reminder.id());
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
