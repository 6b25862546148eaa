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
 * A meeting whose attendance nobody confirmed within a day of its end: the meeting shows it, and its
 * secretary is reminded once in the unit's chat (mentioned there, so the reminder reaches them).
 */
public final class AttendanceFollowUp {
    public static final Duration GRACE = Duration.ofDays(1);
    private static final Duration LOOK_BACK = Duration.ofDays(14);

    private final Jdbi jdbi;
    private final Clock clock;
    private final Outbox outbox;
    private final Runnable deliveriesAdded;

    public AttendanceFollowUp(Jdbi jdbi, Clock clock, Outbox outbox, Runnable deliveriesAdded) {
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

    /** Reminds the secretaries of every overdue meeting once; run by the minute sweep. */
    public int remindOverdue() {
        Instant now = clock.instant();
        List<Meeting> ended = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM meetings WHERE status = 'scheduled' AND starts_at BETWEEN :from AND :to
                        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = meetings.id)""")
                .bind("from", now.minus(LOOK_BACK)).bind("to", now.minus(GRACE))
                .mapTo(Long.class).list().stream().map(id -> new MeetingDao(h).find(id).orElseThrow()).toList());
        int reminded = 0;
        for (Meeting meeting : ended) {
            if (!state(meeting).equals("overdue")) continue;
            reminded += jdbi.inTransaction(h -> {
                Unit unit = h.attach(UnitDao.class).find(meeting.unitId()).orElseThrow();
                List<Member> secretaries = new MemberDao(h).ofUnit(unit.id()).stream()
                        .filter(m -> m.role() == Role.SECRETARY || m.role() == Role.DEPUTY).toList();
                List<String> names = secretaries.stream().map(Member::name).toList();
                String who = names.isEmpty() ? unit.name() : String.join(", ", names);
                String text = outbox.renderer().text(unit, "reminder.attendance", who, meeting.title(),
                        meeting.localStart().format(DateTimeFormatter.ofPattern("dd/MM/yyyy")));
                return outbox.textPerPlatform(h, meeting, "follow-up", platform -> new OutgoingMessage.Text(text, List.of(),
                        secretaries.stream().filter(s -> s.accounts().containsKey(platform))
                                .map(s -> new ChatUser(s.accounts().get(platform), s.name(), null)).toList()),
                        "attendance-reminder:" + meeting.id());
            });
        }
        if (reminded > 0) deliveriesAdded.run();
        return reminded;
    }
}
