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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires every pending reminder due by now. Each reminder is atomic: it becomes {@code fired} and its
 * deliveries enter the outbox together, so a crash leaves either both or neither, and a second firing
 * adds nothing. Reminders go {@value #CHUNK} to a transaction, each in its own savepoint: a province's
 * wave fires thousands at one instant, and a transaction each made SQLite's single writer, shared with
 * the dispatcher, the limit of the wave.
 */
public final class ReminderFiring {
    private static final Logger log = LoggerFactory.getLogger(ReminderFiring.class);
    private static final Duration PREROLL_MARGIN = Duration.ofSeconds(2);
    /**
     * Reminders per transaction: a few milliseconds of writing, after which the dispatcher gets its turn. With 20,
     * a province's wave at 1,000 msg/s waited behind the firing for its claims and ran at 200–600 a second until
     * the firing was done (the limiter saves nothing up, so a pass that comes late loses the slots in between).
     */
    static final int CHUNK = 5;
    /**
     * How early a firing may come and still count as on time: Quartz wakes for a trigger up to a few
     * milliseconds before it, and a reminder found "not due yet" by that much had its trigger planned again,
     * a second round through the job store for every instant of a busy hour.
     */
    static final Duration ON_TIME = Duration.ofMillis(20);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;
    private final WaveTime waveTime;
    private final Duration maxPreroll;

    /** How long sending waves of messages takes at the platforms' rates, each after what is queued before its deadline. */
    public interface WaveTime {
        /** For each wave (its deadline → messages by platform), the time it needs. */
        Map<Instant, Duration> toSend(Map<Instant, Map<String, Long>> waves);

        WaveTime INSTANT = waves -> {
            Map<Instant, Duration> none = new HashMap<>();
            waves.keySet().forEach(due -> none.put(due, Duration.ZERO));
            return none;
        };
    }

    /**
     * What one call did; {@code waiting} holds, for the pending reminders it looked at and left for later
     * (their wave need not start yet), each due instant and when its wave must start by the pre-roll as it
     * is now, so that their triggers can be planned again.
     */
    public record Result(int fired, int missed, int deliveries, Map<Instant, Instant> waiting) {}

    public ReminderFiring(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded, WaveTime waveTime, Duration maxPreroll) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
        this.waveTime = waveTime;
        this.maxPreroll = maxPreroll;
    }

    /** Now, by the clock reminders are due by. */
    Instant now() {
        return clock.instant();
    }

    /**
     * How early the wave due at {@code due} must start to be sent by then at the platforms' rates
     * (deadline-aware), never more than the configured maximum.
     */
    public Duration preroll(Instant due) {
        return prerolls(java.util.Set.of(due)).getOrDefault(due, Duration.ZERO);
    }

    /**
     * The pre-roll of each due instant, in two queries whatever their number: reminders spread over
     * thousands of instants in the next hour made a query or two per instant on every firing, which
     * took seconds each time (the lag benchmark).
     */
    public Map<Instant, Duration> prerolls(java.util.Set<Instant> dues) {
        Map<Instant, Duration> prerolls = new HashMap<>();
        if (maxPreroll.isZero() || dues.isEmpty()) return prerolls;
        // instants are stored to the millisecond: an instant asked about with finer precision is matched by its millisecond
        Map<Instant, Instant> byMillis = new HashMap<>();
        dues.forEach(d -> byMillis.put(Instant.ofEpochMilli(d.toEpochMilli()), d));
        Instant first = dues.stream().min(Instant::compareTo).orElseThrow();
        Instant last = dues.stream().max(Instant::compareTo).orElseThrow();
        Map<Instant, Map<String, Long>> waves = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT r.due_at, c.platform, SUM(1 + CASE WHEN r.kind = 'agenda' THEN
                               (SELECT COUNT(*) FROM materials m WHERE m.meeting_id = r.meeting_id AND m.confidential = 0 AND m.replaced_at IS NULL) ELSE 0 END) AS n
                        FROM reminders r JOIN meetings mt ON mt.id = r.meeting_id
                        JOIN chats c ON c.unit_id = mt.unit_id AND c.state = 'active'
                        WHERE r.state = 'pending' AND r.due_at BETWEEN :first AND :last
                        GROUP BY r.due_at, c.platform""")
                .bind("first", first).bind("last", last)
                .map((rs, ctx) -> new Object[] {Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getLong(3)}).list()
                .forEach(row -> {
                    if (byMillis.containsKey((Instant) row[0])) {
                        waves.computeIfAbsent((Instant) row[0], k -> new HashMap<>()).put((String) row[1], (Long) row[2]);
                    }
                }));
        if (waves.isEmpty()) return prerolls;
        waveTime.toSend(waves).forEach((due, needed) -> prerolls.put(byMillis.get(due), planned(needed)));
        return prerolls;
    }

    /**
     * The rate is a ceiling, not a promise: a wave runs a little below it, and firing its reminders takes
     * time too, so it starts a tenth earlier than the bare arithmetic says, and up to two seconds more (a
     * single message is not sent two seconds early).
     */
    private Duration planned(Duration needed) {
        if (needed.isZero()) return Duration.ZERO;
        Duration margin = needed.compareTo(PREROLL_MARGIN) < 0 ? needed : PREROLL_MARGIN;
        Duration planned = needed.plus(needed.dividedBy(10)).plus(margin);
        return planned.compareTo(maxPreroll) > 0 ? maxPreroll : planned;
    }

    /** Fires every pending reminder that is due, or whose wave must start now to be sent by its due instant. */
    public Result fireDue() {
        Instant now = clock.instant();
        Instant onTime = now.plus(ON_TIME);
        List<Reminder> candidates = jdbi.withExtension(ReminderDao.class, d -> d.dueBy(now.plus(maxPreroll)));
        java.util.Set<Instant> ahead = new java.util.HashSet<>();
        candidates.forEach(r -> {
            if (r.dueAt().isAfter(onTime)) ahead.add(r.dueAt());
        });
        Map<Instant, Duration> prerolls = prerolls(ahead);
        List<Reminder> due = candidates.stream()
                .filter(r -> !r.dueAt().isAfter(onTime) || !r.dueAt().minus(prerolls.getOrDefault(r.dueAt(), Duration.ZERO)).isAfter(onTime))
                .toList();
        Map<Instant, Instant> waiting = new HashMap<>();
        ahead.forEach(d -> waiting.put(d, d.minus(prerolls.getOrDefault(d, Duration.ZERO))));
        due.forEach(r -> waiting.remove(r.dueAt()));
        int fired = 0;
        int missed = 0;
        int deliveries = 0;
        RuntimeException firstFailure = null;
        for (int from = 0; from < due.size(); from += CHUNK) {
            List<Reminder> chunk = due.subList(from, Math.min(due.size(), from + CHUNK));
            List<Fired> outcomes = jdbi.inTransaction(h -> {
                List<Fired> results = new java.util.ArrayList<>(chunk.size());
                for (Reminder reminder : chunk) results.add(fireOne(h, reminder, now));
                return results;
            });
            for (Fired f : outcomes) {
                fired += f.fired();
                missed += f.missed();
                deliveries += f.deliveries();
                Reminder reminder = f.reminder();
                if (f.failure() != null) {
                    log.error("firing reminder={} meeting={} failed; the others went on", reminder.id(), reminder.meetingId(), f.failure());
                    if (firstFailure == null) firstFailure = f.failure();
                }
                if (f.missed() > 0) log.warn("reminder missed reminder={} meeting={} due={}", reminder.id(), reminder.meetingId(), reminder.dueAt());
                if (f.fired() > 0) log.info("reminder fired reminder={} meeting={} deliveries={}", reminder.id(), reminder.meetingId(), f.deliveries());
            }
            // the dispatcher starts on the first chats while the rest of a large wave is still being fired
            if (outcomes.stream().anyMatch(f -> f.deliveries() > 0)) deliveriesAdded.run();
        }
        if (firstFailure != null) throw firstFailure;
        return new Result(fired, missed, deliveries, waiting);
    }

    /** What firing one reminder did; {@code failure} is set when it was rolled back alone. */
    private record Fired(Reminder reminder, int fired, int missed, int deliveries, RuntimeException failure) {}

    /**
     * One reminder inside its own savepoint: it becomes fired and its deliveries enter the outbox
     * together, or neither happens, whatever befalls the others of its chunk.
     */
    private Fired fireOne(Handle h, Reminder reminder, Instant now) {
        String savepoint = "reminder" + reminder.id();
        h.savepoint(savepoint);
        try {
            Fired result = fire(h, reminder, now);
            h.releaseSavepoint(savepoint);
            return result;
        } catch (RuntimeException e) {
            // Jdbi forgets a savepoint it rolled back to; the transaction goes on without it
            h.rollbackToSavepoint(savepoint);
            return new Fired(reminder, 0, 0, 0, e);
        }
    }

    private Fired fire(Handle h, Reminder reminder, Instant now) {
        ReminderDao reminders = h.attach(ReminderDao.class);
        Optional<Meeting> meeting = new MeetingDao(h).find(reminder.meetingId());
        if (meeting.isEmpty() || meeting.get().cancelled()) {
            reminders.cancelPending(reminder.meetingId());
            return new Fired(reminder, 0, 0, 0, null);
        }
        if (!meeting.get().startsAt().isAfter(now)) {
            // Too late to be of use: the meeting has begun. Shown to the secretary as missed.
            return new Fired(reminder, 0, reminders.markMissed(reminder.id()), 0, null);
        }
        if (reminders.markFired(reminder.id(), now) == 0) return new Fired(reminder, 0, 0, 0, null);
        int added = switch (reminder.kind()) {
            case Reminder.AGENDA -> outbox.agenda(h, meeting.get(), reminder.id(), reminder.dueAt());
            // a chase names only those who have not answered, and is skipped when everyone has
            case Reminder.CHASE -> outbox.chase(h, meeting.get(), reminder.id(), "reminder:" + reminder.id());
            default -> outbox.reminder(h, meeting.get(), reminder.id(), reminder.dueAt());
        };
        return new Fired(reminder, 1, 0, added, null);
    }
}
