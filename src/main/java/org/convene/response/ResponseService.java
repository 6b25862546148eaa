package org.convene.response;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.MemberDao;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Records answers (last one wins, every one kept in the history) and summarises them per meeting. */
public final class ResponseService {
    public static final Set<String> REASON_CODES = Set.of("sick", "work", "travel", "family", "other");

    private final Jdbi jdbi;
    private final Clock clock;

    public ResponseService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records one answer of a member of the meeting's unit, in one transaction with its history row. */
    public void record(String actor, long meetingId, long personId, Answer answer, Answer.Source source) {
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            ResponseDao dao = h.attach(ResponseDao.class);
            switch (answer) {
                case Answer.Received r -> {
                    dao.upsert(meetingId, personId, now, null, null, null, source.wire(), now);
                    dao.history(meetingId, personId, "received", null, null, null, source.wire(), now);
                }
                case Answer.Coming c -> {
                    dao.upsert(meetingId, personId, now, "yes", null, null, source.wire(), now);
                    dao.history(meetingId, personId, "rsvp", "yes", null, null, source.wire(), now);
                }
                case Answer.Absent a -> {
                    dao.upsert(meetingId, personId, now, "no", a.reasonCode(), a.reason(), source.wire(), now);
                    dao.history(meetingId, personId, "rsvp", "no", a.reasonCode(), a.reason(), source.wire(), now);
                }
            }
            AuditLog.record(h, now, actor, "response.recorded", "meeting", meetingId, "person " + personId + " " + answer);
        });
    }

    /** A reply taken by phone: {@code rsvp} is yes or no, a reason only with no. */
    public void recordBySecretary(String actor, long meetingId, Long memberId, String rsvp, String reason, String reasonCode) {
        List<FieldError> errors = new ArrayList<>();
        if (memberId == null) errors.add(new FieldError("memberId", "is required"));
        if (!"yes".equals(rsvp) && !"no".equals(rsvp) && !"received".equals(rsvp)) errors.add(new FieldError("rsvp", "must be yes, no or received"));
        if (reason != null && reason.length() > 500) errors.add(new FieldError("reason", "is longer than 500 characters"));
        if (reasonCode != null && !REASON_CODES.contains(reasonCode)) errors.add(new FieldError("reasonCode", "must be one of " + REASON_CODES));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        Meeting meeting = meeting(meetingId);
        requireInvited(meeting, memberId);
        Answer answer = switch (rsvp) {
            case "yes" -> new Answer.Coming();
            case "received" -> new Answer.Received();
            default -> new Answer.Absent(reasonCode != null ? reasonCode : reason == null || reason.isBlank() ? null : "other",
                    reason == null || reason.isBlank() ? null : reason.strip());
        };
        record(actor, meetingId, memberId, answer, Answer.Source.SECRETARY);
    }

    /** The contract's responses view: the unit's own members, each with their current answer. */
    public record Summary(int invited, int received, int yes, int no, int noReply, int observers) {}

    public record MemberAnswer(long memberId, String name, Instant receivedAt, String rsvp, String reason, String reasonCode,
                               Instant respondedAt, String source, boolean observer) {}

    public record Responses(Summary summary, List<MemberAnswer> members) {}

    public Responses responses(long meetingId) {
        Meeting meeting = meeting(meetingId);
        return jdbi.withHandle(h -> {
            Map<Long, Response> byPerson = h.attach(ResponseDao.class).ofMeeting(meetingId).stream()
                    .collect(Collectors.toMap(Response::personId, Function.identity()));
            List<MemberAnswer> rows = new ArrayList<>();
            int received = 0, yes = 0, no = 0;
            List<Member> members = new MemberDao(h).ofUnit(meeting.unitId());
            for (Member m : members) {
                Response r = byPerson.get(m.id());
                rows.add(row(m, r, false));
                if (r != null && r.receivedAt() != null) received++;
                if (r != null && "yes".equals(r.rsvp())) yes++;
                if (r != null && "no".equals(r.rsvp())) no++;
            }
            int observers = 0;
            for (long unit : meeting.observerUnitIds()) {
                for (Member m : new MemberDao(h).ofUnit(unit)) {
                    if (members.stream().anyMatch(x -> x.id() == m.id())) continue;
                    rows.add(row(m, byPerson.get(m.id()), true));
                    observers++;
                }
            }
            return new Responses(new Summary(members.size(), received, yes, no, members.size() - received, observers), rows);
        });
    }

    private static MemberAnswer row(Member m, Response r, boolean observer) {
        return r == null ? new MemberAnswer(m.id(), m.name(), null, null, null, null, null, null, observer)
                : new MemberAnswer(m.id(), m.name(), r.receivedAt(), r.rsvp(), r.reason(), r.reasonCode(), r.respondedAt(), r.source(), observer);
    }

    private Meeting meeting(long meetingId) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
    }

    /** The member belongs to the meeting's unit or to one of its observer units. */
    void requireInvited(Meeting meeting, long personId) {
        boolean invited = jdbi.withHandle(h -> {
            MemberDao members = new MemberDao(h);
            if (members.find(meeting.unitId(), personId).isPresent()) return true;
            return meeting.observerUnitIds().stream().anyMatch(u -> members.find(u, personId).isPresent());
        });
        if (!invited) throw new ConveneException.Invalid("memberId", "member " + personId + " is not invited to meeting " + meeting.id());
    }
}
