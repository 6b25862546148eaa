package org.convene.meeting;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Tasks and decisions, read with their assignee's name. */
public final class TaskDao {
    private final Handle h;

    public TaskDao(Handle handle) {
        this.h = handle;
    }

    private static final String SELECT = """
            SELECT t.id, t.unit_id, t.meeting_id, t.text, t.assignee_person_id, p.name AS assignee_name, t.due, t.state, t.done_at
            FROM tasks t LEFT JOIN persons p ON p.id = t.assignee_person_id""";

    public List<Task> ofUnit(long unitId, String state) {
        return h.createQuery(SELECT + " WHERE t.unit_id = :u AND t.state <> 'noted' AND (:state IS NULL OR t.state = :state) ORDER BY t.id")
                .bind("u", unitId).bind("state", state).map((rs, ctx) -> row(rs)).list();
    }

    /** Open tasks given at meetings of the unit before {@code meeting}: what its agenda carries forward. */
    public List<Task> openBefore(Meeting meeting) {
        return h.createQuery(SELECT + " " + """
                         JOIN meetings m ON m.id = t.meeting_id
                         WHERE t.unit_id = :u AND t.state = 'open' AND m.starts_at < :start ORDER BY t.id""")
                .bind("u", meeting.unitId()).bind("start", meeting.startsAt()).map((rs, ctx) -> row(rs)).list();
    }

    public List<Task> ofMeeting(long meetingId) {
        return h.createQuery(SELECT + " WHERE t.meeting_id = :m ORDER BY t.position").bind("m", meetingId).map((rs, ctx) -> row(rs)).list();
    }

    public Optional<Task> find(long id) {
        return h.createQuery(SELECT + " WHERE t.id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    private static Task row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Object assignee = rs.getObject("assignee_person_id");
        long doneAt = rs.getLong("done_at");
        boolean notDone = rs.wasNull();
        return new Task(rs.getLong("id"), rs.getLong("unit_id"), rs.getLong("meeting_id"), rs.getString("text"),
                assignee == null ? null : ((Number) assignee).longValue(), rs.getString("assignee_name"), rs.getString("due"),
                rs.getString("state"), notDone ? null : java.time.Instant.ofEpochMilli(doneAt));
    }
}
