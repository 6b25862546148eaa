package org.convene.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.convene.chat.ChatUser;
import org.convene.chat.OutgoingMessage;
import org.convene.delivery.Outbox;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.convene.meeting.Role;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Jdbi;

/**
 * What a secretary still owes after a meeting, each reminded once in the unit's chat with the
 * secretary and deputy mentioned: attendance a day after the end, minutes after three days, and a
 * thematic session's products after a week.
 */
public final class FollowUps {
    public static final Duration GRACE = Duration.ofDays(1);
    public static final Duration MINUTES_GRACE = Duration.ofDays(3);
    public static final Duration PRODUCTS_GRACE = Duration.ofDays(7);
    private static final Duration LOOK_BACK = Duration.ofDays(14);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;

    public FollowUps(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.outbox = outbox;
        this.deliveriesAdded = deliveriesAdded;
    }

    /** {@code not-due} before the meeting ends, then {@code pending}, {@code overdue} after a day, or {@code confirmed}. */
    public String state(Meeting meeting) {
        if (meeting.cancelled()) return "not-due";
        Instant end = meeting.startsAt().plus(Duration.ofMinutes(meeting.durationMinutes()));
        Instant now = clock.instant();
        if (now.isBefore(end)) return "not-due";
        boolean recorded = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM attendance WHERE meeting_id = :m")
                .bind("m", meeting.id()).mapTo(Integer.class).one()) > 0;
        if (recorded) return "confirmed";
        return now.isAfter(end.plus(GRACE)) ? "overdue" : "pending";
    }

    /** Runs every follow-up; the minute sweep calls this. */
    public int remindAll() {
        return remindOverdue() + remindMinutes() + remindProducts() + askObserverFeedback();
    }

    /** When a pilot meeting has ended, its observers are asked, in their own chats, for short feedback; once. */
    public int askObserverFeedback() {
        Instant now = clock.instant();
        List<Meeting> ended = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM meetings WHERE kind = 'pilot' AND status IN ('scheduled', 'held') AND starts_at BETWEEN :from AND :to
                        AND EXISTS (SELECT 1 FROM meeting_observers o WHERE o.meeting_id = meetings.id)""")
                .bind("from", now.minus(LOOK_BACK)).bind("to", now)
                .mapTo(Long.class).list().stream().map(id -> new MeetingDao(h).find(id).orElseThrow()).toList());
        int asked = 0;
        for (Meeting meeting : ended) {
            if (now.isBefore(meeting.startsAt().plus(Duration.ofMinutes(meeting.durationMinutes())))) continue;
            asked += jdbi.inTransaction(h -> {
                Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
                String text = outbox.renderer().text(unit, "question.feedback", meeting.title());
                return outbox.toObservers(h, meeting, "feedback-question", new OutgoingMessage.Text(text), "feedback-question:" + meeting.id());
            });
        }
        if (asked > 0) deliveriesAdded.run();
        return asked;
    }

    /** Attendance not confirmed a day after the meeting ended. */
    public int remindOverdue() {
        return remind("attendance", "reminder.attendance", GRACE,
                "NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = meetings.id)", m -> state(m).equals("overdue"));
    }

    /** Minutes not filed three days after the meeting ended. */
    public int remindMinutes() {
        return remind("minutes", "reminder.minutes", MINUTES_GRACE,
                "NOT EXISTS (SELECT 1 FROM minutes x WHERE x.meeting_id = meetings.id)", m -> true);
    }

    /** No product recorded a week after a thematic session. */
    public int remindProducts() {
        return remind("products", "reminder.products", PRODUCTS_GRACE,
                "kind = 'thematic' AND NOT EXISTS (SELECT 1 FROM products p WHERE p.meeting_id = meetings.id)", m -> true);
    }

    private int remind(String what, String textKey, Duration grace, String missing, java.util.function.Predicate<Meeting> still) {
        Instant now = clock.instant();
        List<Meeting> owing = jdbi.withHandle(h -> h.createQuery("SELECT id, duration_minutes FROM meetings WHERE status IN ('scheduled', 'held')"
                        + " AND starts_at BETWEEN :from AND :to AND " + missing)
                .bind("from", now.minus(LOOK_BACK).minus(grace)).bind("to", now.minus(grace))
                .mapTo(Long.class).list().stream().map(id -> new MeetingDao(h).find(id).orElseThrow()).toList());
        int reminded = 0;
        for (Meeting meeting : owing) {
            Instant end = meeting.startsAt().plus(Duration.ofMinutes(meeting.durationMinutes()));
            if (now.isBefore(end.plus(grace)) || !still.test(meeting)) continue;
            reminded += jdbi.inTransaction(h -> {
                Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
                List<Member> secretaries = new MemberDao(h).ofUnit(unit.id()).stream()
                        .filter(m -> m.leftOn() == null).filter(m -> m.role() == Role.SECRETARY || m.role() == Role.DEPUTY).toList();
                List<String> names = secretaries.stream().map(Member::name).toList();
                String who = names.isEmpty() ? unit.name() : String.join(", ", names);
                String text = outbox.renderer().text(unit, textKey, who, meeting.title(),
                        meeting.localStart().format(DateTimeFormatter.ofPattern("dd/MM/yyyy")));
                return outbox.textPerPlatform(h, meeting, "follow-up", platform -> new OutgoingMessage.Text(text, List.of(),
                        secretaries.stream().filter(s -> s.accounts().containsKey(platform))
                                .map(s -> new ChatUser(s.accounts().get(platform), s.name(), null)).toList()),
                        what + "-reminder:" + meeting.id());
            });
        }
        if (reminded > 0) deliveriesAdded.run();
        return reminded;
    }
}
