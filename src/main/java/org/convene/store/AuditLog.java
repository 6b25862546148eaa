package org.convene.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes who changed what, inside the caller's transaction so the event and the change land together.
 * Each event carries the unit it concerns, so that a unit's audit page is one indexed read.
 */
public final class AuditLog {
    private AuditLog() {}

    /** How the unit of an event is found from the entity it names, when the caller does not say. */
    private static final Map<String, String> UNIT_OF = Map.of(
            "meeting", "SELECT unit_id FROM meetings WHERE id = :id",
            "chat", "SELECT unit_id FROM chats WHERE id = :id",
            "task", "SELECT unit_id FROM tasks WHERE id = :id",
            "series", "SELECT unit_id FROM series WHERE id = :id",
            "material", "SELECT m.unit_id FROM materials x JOIN meetings m ON m.id = x.meeting_id WHERE x.id = :id",
            "member", "SELECT MIN(unit_id) FROM memberships WHERE person_id = :id");

    public static void record(Handle handle, Instant at, String actor, String action, String entity, Object entityId, String detail) {
        record(handle, unitOf(handle, entity, entityId), at, actor, action, entity, entityId, detail);
    }

    /** An event of the named unit: for entities that belong to several units (a person) or to none any more (a deleted one). */
    public static void record(Handle handle, Long unitId, Instant at, String actor, String action, String entity, Object entityId, String detail) {
        handle.createUpdate("""
                INSERT INTO audit_events (at, actor, action, entity, entity_id, detail, unit_id)
                VALUES (:at, :actor, :action, :entity, :entityId, :detail, :unitId)""")
                .bind("at", at)
                .bind("actor", actor)
                .bind("action", action)
                .bind("entity", entity)
                .bind("entityId", entityId == null ? null : String.valueOf(entityId))
                .bind("detail", detail)
                .bind("unitId", unitId)
                .execute();
    }

    /** One event as the audit page shows it; {@code actorName} is the person behind a session, when there is one. */
    public record Event(long id, Instant at, String actor, String actorName, String action, String entity, String entityId, String detail) {}

    /** The unit's events in [from, to), newest first, at most {@code limit}. */
    public static List<Event> ofUnit(Handle handle, long unitId, Instant from, Instant to, int limit) {
        return handle.createQuery("""
                SELECT e.id, e.at, e.actor, p.name, e.action, e.entity, e.entity_id, e.detail
                FROM audit_events e LEFT JOIN persons p ON e.actor = 'person:' || CAST(p.id AS VARCHAR(20))
                WHERE e.unit_id = :unit AND e.at >= :from AND e.at < :to
                ORDER BY e.at DESC, e.id DESC LIMIT :limit""")
                .bind("unit", unitId).bind("from", from).bind("to", to).bind("limit", limit)
                .map((rs, ctx) -> new Event(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8))).list();
    }

    private static Long unitOf(Handle handle, String entity, Object entityId) {
        if (!(entityId instanceof Number id)) return null;
        if (entity.equals("unit")) return id.longValue();
        String sql = UNIT_OF.get(entity);
        if (sql == null) return null;
        return handle.createQuery(sql).bind("id", id.longValue()).mapTo(Long.class).findOne().orElse(null);
    }
}
