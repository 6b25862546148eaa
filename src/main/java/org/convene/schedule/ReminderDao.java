package org.convene.schedule;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Reminder.class)
public interface ReminderDao {
    @SqlUpdate("""
            INSERT INTO reminders (meeting_id, position, offset_iso, kind, due_at, state, created_at)
            VALUES (:meetingId, :position, :offset, :kind, :dueAt, 'pending', :now)""")
    @GetGeneratedKeys
    long insert(@Bind("meetingId") long meetingId, @Bind("position") int position, @Bind("offset") String offsetIso,
                @Bind("kind") String kind, @Bind("dueAt") Instant dueAt, @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM reminders WHERE meeting_id = :meetingId ORDER BY position, id")
    List<Reminder> ofMeeting(@Bind("meetingId") long meetingId);

    @SqlQuery("SELECT * FROM reminders WHERE state = 'pending' AND due_at <= :now ORDER BY due_at, id")
    List<Reminder> dueBy(@Bind("now") Instant now);

    @SqlQuery("SELECT DISTINCT due_at FROM reminders WHERE state = 'pending' AND due_at > :now ORDER BY due_at")
    List<Instant> futureDueInstants(@Bind("now") Instant now);

    /** The pending → fired step; 0 when another firing got there first, which makes firing idempotent. */
    @SqlUpdate("UPDATE reminders SET state = 'fired', fired_at = :now WHERE id = :id AND state = 'pending'")
    int markFired(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("UPDATE reminders SET state = 'missed' WHERE id = :id AND state = 'pending'")
    int markMissed(@Bind("id") long id);

    @SqlUpdate("UPDATE reminders SET state = 'cancelled' WHERE meeting_id = :meetingId AND state = 'pending'")
    int cancelPending(@Bind("meetingId") long meetingId);

    @SqlQuery("SELECT COUNT(*) FROM reminders WHERE state = :state")
    long count(@Bind("state") String state);

    /** Missed reminders of the units' meetings that start after {@code since}, for the secretary's home page. */
    @SqlQuery("""
            SELECT r.* FROM reminders r JOIN meetings m ON m.id = r.meeting_id
            WHERE r.state = 'missed' AND m.unit_id IN (<units>) AND m.starts_at >= :since ORDER BY r.due_at DESC LIMIT 50""")
    List<Reminder> missedOfUnits(@org.jdbi.v3.sqlobject.customizer.BindList("units") List<Long> unitIds, @Bind("since") Instant since);
}
