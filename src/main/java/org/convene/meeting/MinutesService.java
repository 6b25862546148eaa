package org.convene.meeting;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** The minutes of a meeting; its decisions with an assignee become tasks, carried into later agendas until done. */
public final class MinutesService {
    private final Jdbi jdbi;
    private final Clock clock;
    private final java.util.function.Function<Meeting, String> draft;

    /** @param draft the minutes' skeleton made from a meeting's agenda, in its unit's language */
    public MinutesService(Jdbi jdbi, Clock clock, java.util.function.Function<Meeting, String> draft) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.draft = draft;
    }

    public record Decision(String text, Long assigneeMemberId, String due) {}

    public record MinutesRequest(String text, List<Decision> decisions) {}

    /** {@code filed} is false for the draft offered before anything was filed. */
    public record Minutes(long meetingId, String text, Instant filedAt, Instant updatedAt, List<Task> decisions, boolean filed) {}

    /**
     * Files or replaces the minutes. Decisions keep their place by position, so filing again updates
     * the tasks made the first time (a task already done stays done) instead of adding new ones.
     */
    public Minutes file(String actor, long meetingId, MinutesRequest r) {
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        List<FieldError> errors = new ArrayList<>();
        String text = r.text() == null ? "" : r.text().strip();
        if (text.isEmpty()) errors.add(new FieldError("text", "is required"));
        if (text.length() > 50_000) errors.add(new FieldError("text", "is longer than 50,000 characters"));
        List<Decision> decisions = r.decisions() == null ? List.of() : r.decisions();
        if (decisions.size() > 100) errors.add(new FieldError("decisions", "has more than 100 decisions"));
        List<Long> members = jdbi.withHandle(h -> new MemberDao(h).ofUnit(meeting.unitId()).stream()
                .filter(m -> m.memberOn(meeting.localStart().toLocalDate())).map(Member::id).toList());
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String f = "decisions[" + i + "]";
            if (d == null || d.text() == null || d.text().isBlank()) errors.add(new FieldError(f + ".text", "is required"));
            else if (d.text().length() > 1000) errors.add(new FieldError(f + ".text", "is longer than 1000 characters"));
            if (d != null && d.assigneeMemberId() != null && !members.contains(d.assigneeMemberId())) {
                errors.add(new FieldError(f + ".assigneeMemberId", "member " + d.assigneeMemberId() + " is not in the meeting's unit"));
            }
            if (d != null && d.due() != null) {
                try {
                    LocalDate.parse(d.due());
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError(f + ".due", "is not a date like 2026-12-31"));
                }
            }
        }
        if (meeting.cancelled()) throw new ConveneException.Conflict("meeting " + meetingId + " is cancelled");
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO minutes (meeting_id, text, filed_at, updated_at) VALUES (:m, :text, :now, :now)
                    ON CONFLICT (meeting_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at""")
                    .bind("m", meetingId).bind("text", text).bind("now", now).execute();
            for (int i = 0; i < decisions.size(); i++) {
                Decision d = decisions.get(i);
                String state = d.assigneeMemberId() == null ? Task.NOTED : Task.OPEN;
                int updated = h.createUpdate("""
                        UPDATE tasks SET text = :text, assignee_person_id = :assignee, due = :due,
                          state = CASE WHEN state = 'done' AND :state = 'open' THEN 'done' ELSE :state END
                        WHERE meeting_id = :m AND position = :pos""")
                        .bind("text", d.text().strip()).bind("assignee", d.assigneeMemberId()).bind("due", d.due())
                        .bind("state", state).bind("m", meetingId).bind("pos", i).execute();
                if (updated == 0) {
                    h.createUpdate("""
                            INSERT INTO tasks (unit_id, meeting_id, position, text, assignee_person_id, due, state, created_at)
                            VALUES (:u, :m, :pos, :text, :assignee, :due, :state, :now)""")
                            .bind("u", meeting.unitId()).bind("m", meetingId).bind("pos", i).bind("text", d.text().strip())
                            .bind("assignee", d.assigneeMemberId()).bind("due", d.due()).bind("state", state).bind("now", now).execute();
                }
            }
            h.createUpdate("DELETE FROM tasks WHERE meeting_id = :m AND position >= :n AND state <> 'done'")
                    .bind("m", meetingId).bind("n", decisions.size()).execute();
            AuditLog.record(h, now, actor, "minutes.filed", "meeting", meetingId, decisions.size() + " decisions");
        });
        return get(meetingId).orElseThrow();
    }

    public Optional<Minutes> get(long meetingId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT text, filed_at, updated_at FROM minutes WHERE meeting_id = :m").bind("m", meetingId)
                .map((rs, ctx) -> new Minutes(meetingId, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)),
                        new TaskDao(h).ofMeeting(meetingId), true))
                .findOne());
    }

    /** The filed minutes, or else a draft that starts from the agenda (not stored). */
    public Minutes current(long meetingId) {
        Meeting meeting = jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        return get(meetingId).orElseGet(() -> new Minutes(meetingId, draft.apply(meeting), null, null, List.of(), false));
    }

    public List<Task> tasks(long unitId, String state) {
        if (state != null && !state.equals(Task.OPEN) && !state.equals(Task.DONE)) throw new ConveneException.Invalid("state", "must be open or done");
        return jdbi.withHandle(h -> new TaskDao(h).ofUnit(unitId, state));
    }

    public Task task(long id) {
        return jdbi.withHandle(h -> new TaskDao(h).find(id)).filter(t -> !t.state().equals(Task.NOTED))
                .orElseThrow(() -> new ConveneException.NotFound("task", id));
    }

    public Task setState(String actor, long id, String state) {
        if (!Task.OPEN.equals(state) && !Task.DONE.equals(state)) throw new ConveneException.Invalid("state", "must be open or done");
        Task task = task(id);
        Instant now = clock.instant();
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE tasks SET state = :s, done_at = :at WHERE id = :id")
                    .bind("s", state).bind("at", state.equals(Task.DONE) ? now : null).bind("id", id).execute();
            AuditLog.record(h, now, actor, "task." + state, "task", id, task.text());
        });
        return task(id);
    }
}
