package org.convene.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Member;
import org.convene.meeting.Invitees;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Who came: recorded by the secretary after the meeting; until then it is pre-filled from the RSVPs. */
public final class AttendanceService {
    public static final Set<String> STATUSES = Set.of("present", "excused", "absent");
    /** Attendance taken at the door is recorded a little before the start, never days ahead. */
    static final Duration RECORDING_OPENS_BEFORE = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Clock clock;

    private final ResponseLedger ledger;

    public AttendanceService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ledger = new ResponseLedger(jdbi, clock);
    }

    ResponseLedger ledger() {
        return ledger;
    }

    public record Entry(Long memberId, String status) {}

    public record Row(long memberId, String name, String status, boolean confirmed) {}

    /** Replaces the attendance of the listed members; a wrong row changes nothing at all. */
    public List<Row> put(String actor, long meetingId, List<Entry> entries) {
        Meeting meeting = meeting(meetingId);
        List<FieldError> errors = new ArrayList<>();
        List<Invitees.Invitee> list = jdbi.withHandle(h -> Invitees.of(h, meeting, clock.instant()));
        Set<Long> invited = list.stream().filter(Invitees.Invitee::counted).map(i -> i.member().id()).collect(Collectors.toSet());
        Set<Long> exempt = list.stream().filter(i -> !i.counted()).map(i -> i.member().id()).collect(Collectors.toSet());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e == null || e.memberId() == null) errors.add(new FieldError("[" + i + "].memberId", "is required"));
            else if (exempt.contains(e.memberId())) errors.add(new FieldError("[" + i + "].memberId", "member " + e.memberId() + " is exempt from activity on the meeting's day and counted apart"));
            else if (!invited.contains(e.memberId())) errors.add(new FieldError("[" + i + "].memberId", "member " + e.memberId() + " is not on the meeting's roster"));
            if (e != null && (e.status() == null || !STATUSES.contains(e.status()))) errors.add(new FieldError("[" + i + "].status", "must be present, excused or absent"));
        }
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        Instant opens = opensAt(meeting);
        if (clock.instant().isBefore(opens)) {
            throw new ConveneException.Conflict("attendance of meeting " + meetingId + " can be recorded from one hour before it begins ("
                    + opens.atZone(meeting.localStart().getZone()).toOffsetDateTime() + "), since reports count only meetings that have begun",
                    "attendance_not_open");
        }
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            for (Entry e : entries) {
                h.createUpdate("""
                        INSERT INTO attendance (meeting_id, person_id, status, recorded_at) VALUES (:m, :p, :s, :now)
                        ON CONFLICT (meeting_id, person_id) DO UPDATE SET status = excluded.status, recorded_at = excluded.recorded_at""")
                        .bind("m", meetingId).bind("p", e.memberId()).bind("s", e.status()).bind("now", now).execute();
            }
            AuditLog.record(h, now, actor, "attendance.recorded", "meeting", meetingId, entries.size() + " members");
        });
        return get(meetingId);
    }

    /** The first instant the meeting's attendance may be recorded. */
    public Instant opensAt(Meeting meeting) {
        return meeting.startsAt().minus(RECORDING_OPENS_BEFORE);
    }

    /** yes → present; no with a reason → excused; no reason given, or no answer → absent. */
    static String prefill(Response answer) {
        if (answer == null || answer.rsvp() == null) return "absent";
        if (answer.rsvp().equals("yes")) return "present";
        return answer.reason() != null || answer.reasonCode() != null ? "excused" : "absent";
    }

    /** Every member counted on the meeting's roster: the recorded status, or one pre-filled from the answers. */
    public List<Row> get(long meetingId) {
        Meeting meeting = meeting(meetingId);
        return jdbi.withHandle(h -> {
            Map<Long, String> recorded = h.createQuery("SELECT person_id, status FROM attendance WHERE meeting_id = :m")
                    .bind("m", meetingId).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).list()
                    .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Map<Long, Response> answers = h.attach(ResponseDao.class).ofMeeting(meetingId).stream()
                    .filter(r -> r.rsvp() != null).collect(Collectors.toMap(Response::personId, r -> r));
            List<Row> rows = new ArrayList<>();
            for (Member m : Invitees.counted(h, meeting, clock.instant())) {
                String status = recorded.get(m.id());
                if (status != null) rows.add(new Row(m.id(), m.name(), status, true));
                else rows.add(new Row(m.id(), m.name(), prefill(answers.get(m.id())), false));
            }
            return rows;
        });
    }

    private Meeting meeting(long id) {
        return jdbi.withHandle(h -> new MeetingDao(h).find(id)).orElseThrow(() -> new ConveneException.NotFound("meeting", id));
    }
}
