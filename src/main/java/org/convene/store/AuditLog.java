package org.convene.store;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** Writes who changed what, inside the caller's transaction so the event and the change land together. */
public final class AuditLog {
    private AuditLog() {}

    public static void record(Handle handle, Instant at, String actor, String action, String entity, Object entityId, String detail) {
        handle.createUpdate("""
                INSERT INTO audit_events (at, actor, action, entity, entity_id, detail)
                VALUES (:at, :actor, :action, :entity, :entityId, :detail)""")
                .bind("at", at)
                .bind("actor", actor)
                .bind("action", action)
                .bind("entity", entity)
                .bind("entityId", entityId == null ? null : String.valueOf(entityId))
                .bind("detail", detail)
                .execute();
    }
}
