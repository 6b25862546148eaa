package org.convene.response;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Invitees;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.jdbi.v3.core.Jdbi;

/** The read side of answers: who was invited and what each said, per meeting. */
public final class ResponseLedger {
    private final Jdbi jdbi;
    private final Clock clock;

    public ResponseLedger(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** The contract's responses view: the members counted on the meeting's roster, each with their current answer. */
    public record Summary(int invited, int received, int yes, int no, int noReply, int observers) {}

    /**
     * The documents' side of the answers: {@code revision} counts the replacements of posted documents, and
     * {@code latest} the unit's members whose acknowledgement is of the documents as they are now.
     */
    public record Documents(int revision, int latest) {}

    /**
     * One member's ledger line: the agenda reached their chat ({@code sentAt}), they acknowledged
     * ({@code receivedAt}), answered ({@code rsvp}), and attended ({@code attendance}, once recorded or
     * pre-filled after the meeting).
     */
    public record MemberAnswer(long memberId, String name, Instant sentAt, Instant receivedAt, String rsvp, String reason,
                               String reasonCode, Instant respondedAt, String source, String attendance, boolean observer,
                               @com.fasterxml.jackson.annotation.JsonIgnore Map<String, String> accounts, Boolean latestDocuments) {}

    public record Responses(Summary summary, List<MemberAnswer> members, Documents documents) {}

    public Responses responses(long meetingId) {
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        return jdbi.withHandle(h -> {
            Map<Long, Response> byPerson = h.attach(ResponseDao.class).ofMeeting(meetingId).stream()
                    .collect(Collectors.toMap(Response::personId, Function.identity()));
            Instant sentAt = h.createQuery("SELECT MIN(sent_at) FROM deliveries WHERE meeting_id = :m AND kind = 'agenda' AND state = 'sent'")
                    .bind("m", meetingId).mapTo(Instant.class).findOne().orElse(null);
            Map<Long, String> attended = h.createQuery("SELECT person_id, status FROM attendance WHERE meeting_id = :m")
                    .bind("m", meetingId).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).list()
                    .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            int revision = h.createQuery("SELECT documents_revision FROM meetings WHERE id = :m").bind("m", meetingId).mapTo(Integer.class).one();
            List<MemberAnswer> rows = new ArrayList<>();
            int received = 0, yes = 0, no = 0, latest = 0;
            List<Member> members = Invitees.counted(h, meeting, clock.instant());
            for (Member m : members) {
                Response r = byPerson.get(m.id());
                rows.add(row(m, r, false, sentAt, attended.get(m.id()), revision));
                if (r != null && r.receivedAt() != null) received++;
                if (r != null && r.hasDocumentsOf(revision)) latest++;
                if (r != null && "yes".equals(r.rsvp())) yes++;
                if (r != null && "no".equals(r.rsvp())) no++;
            }
            int observers = 0;
            for (long unit : meeting.observerUnitIds()) {
                for (Member m : new MemberDao(h).onDay(unit, meeting.localStart().toLocalDate())) {
                    if (members.stream().anyMatch(x -> x.id() == m.id())) continue;
                    rows.add(row(m, byPerson.get(m.id()), true, null, attended.get(m.id()), revision));
                    observers++;
                }
            }
            return new Responses(new Summary(members.size(), received, yes, no, members.size() - received, observers), rows,
                    new Documents(revision, latest));
        });
    }

    /** {@code latestDocuments} is null until the member received the papers, then whether no paper changed since. */
    private static MemberAnswer row(Member m, Response r, boolean observer, Instant sentAt, String attendance, int revision) {
        return r == null ? new MemberAnswer(m.id(), m.name(), sentAt, null, null, null, null, null, null, attendance, observer, m.accounts(), null)
                : new MemberAnswer(m.id(), m.name(), sentAt, r.receivedAt(), r.rsvp(), r.reason(), r.reasonCode(), r.respondedAt(), r.source(),
                        attendance, observer, m.accounts(), r.receivedAt() == null ? null : r.hasDocumentsOf(revision));
    }

    /**
     * The counts shown on the posted agenda, and the names of those coming and absent only when asked for:
     * counted by the database in two aggregate queries over indexes, not by reading every member and
     * answer of the unit, which for one unit of 50,000 cost a quarter second and megabytes for each edit.
     */
    public Tally tally(Meeting meeting, boolean withNames) {
        return jdbi.withHandle(h -> {
            int invited = h.createQuery("SELECT COUNT(*) FROM memberships WHERE unit_id = :u").bind("u", meeting.unitId())
                    .mapTo(Integer.class).one();
            int[] counts = h.createQuery("""
                            SELECT COUNT(r.received_at), COALESCE(SUM(CASE WHEN r.rsvp = 'yes' THEN 1 ELSE 0 END), 0),
                                   COALESCE(SUM(CASE WHEN r.rsvp = 'no' THEN 1 ELSE 0 END), 0)
                            FROM responses r JOIN memberships ms ON ms.unit_id = :u AND ms.person_id = r.person_id
                            WHERE r.meeting_id = :m""")
                    .bind("u", meeting.unitId()).bind("m", meeting.id())
                    .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)}).one();
            List<String> coming = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            if (withNames) {
                h.createQuery("""
                                SELECT p.name, r.rsvp, r.reason FROM responses r JOIN memberships ms ON ms.unit_id = :u AND ms.person_id = r.person_id
                                JOIN persons p ON p.id = r.person_id
                                WHERE r.meeting_id = :m AND r.rsvp IN ('yes', 'no') ORDER BY p.id""")
                        .bind("u", meeting.unitId()).bind("m", meeting.id())
                        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).forEach(row -> {
                            if ("yes".equals(row[1])) coming.add(row[0]);
                            else absent.add(row[2] == null ? row[0] : row[0] + " (" + row[2] + ")");
                        });
            }
            return new Tally(invited, counts[0], counts[1], counts[2], coming, absent);
        });
    }

    /** What {@link #tally} counted: the unit's own members only, as the responses view's summary does. */
    public record Tally(int invited, int received, int yes, int no, List<String> coming, List<String> absent) {}

    /** The member belongs to the meeting's unit or to one of its observer units. */
    public void requireInvited(Meeting meeting, long personId) {
        // one indexed lookup: this runs for every tap, and reading the whole member was most of a tap's work; the
        // observers by a subquery, not a bound list, which Jdbi's template engine would parse on every tap
        String day = meeting.localStart().toLocalDate().toString();
        boolean invited = jdbi.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM memberships WHERE person_id = :p
                        AND (unit_id = :unit OR unit_id IN (SELECT unit_id FROM meeting_observers WHERE meeting_id = :m))
                        AND (joined_on IS NULL OR joined_on <= :day) AND (left_on IS NULL OR left_on > :day)""")
                .bind("p", personId).bind("day", day).bind("unit", meeting.unitId()).bind("m", meeting.id()).mapTo(Integer.class).one()) > 0;
        if (!invited) throw new ConveneException.Invalid("memberId", "member " + personId + " is not invited to meeting " + meeting.id());
    }
}
