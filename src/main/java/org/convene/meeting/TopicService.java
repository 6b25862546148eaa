package org.convene.meeting;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Topics a committee pushes down: each goes onto the next agenda of every unit below (or of those
 * named), with its materials; a unit with no meeting scheduled gets it on the next one it schedules.
 */
public final class TopicService {
    private final Jdbi jdbi;
    private final Clock clock;

    public TopicService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record TopicRequest(String title, String quarter, List<Long> materials, List<Long> unitIds) {}

    public record Placement(long unitId, Long meetingId) {}

    public record Topic(long id, long unitId, String title, String quarter, List<Long> materials, List<Placement> units) {}

    /**
     * Pushes a topic from a committee to units below it. Only a caller who supervises those units may (a
     * secretary's reach is its own unit), and only with the committee's own materials, never confidential
     * ones: they are copied onto every receiving meeting, where their members download them.
     */
    public Topic push(Caller caller, long unitId, TopicRequest r) {
        String actor = caller.actor();
        List<FieldError> errors = new ArrayList<>();
        String title = r.title() == null ? "" : r.title().strip();
        if (title.isEmpty()) errors.add(new FieldError("title", "is required"));
        if (title.length() > 280) errors.add(new FieldError("title", "is longer than 280 characters"));
        if (r.quarter() == null || !r.quarter().matches("\\d{4}-Q[1-4]")) errors.add(new FieldError("quarter", "must look like 2026-Q4"));
        return jdbi.inTransaction(h -> {
            UnitDao units = h.attach(UnitDao.class);
            Unit committee = units.find(unitId).orElseThrow(() -> new ConveneException.NotFound("unit", unitId));
            List<Long> below = units.subtreeIds(unitId).stream().filter(id -> id != unitId).toList();
            List<Long> targets = r.unitIds() == null || r.unitIds().isEmpty() ? below : r.unitIds();
            for (Long target : targets) {
                if (target == null || !below.contains(target)) errors.add(new FieldError("unitIds", "unit " + target + " is not below unit " + unitId));
            }
            if (targets.isEmpty()) errors.add(new FieldError("unitIds", "unit " + unitId + " has no units below it"));
            for (Long target : targets) {
                if (target != null && below.contains(target) && !caller.supervises(target)) {
                    throw new ConveneException.NotAllowed("unitIds: pushing topics to unit " + target + " needs a supervisor's reach over it");
                }
            }
            List<Long> materials = r.materials() == null ? List.of() : r.materials();
            MaterialDao materialDao = h.attach(MaterialDao.class);
            MeetingDao meetingDao = new MeetingDao(h);
            for (Long m : materials) {
                Optional<Material> material = m == null ? Optional.empty() : materialDao.find(m);
                if (material.isEmpty()) {
                    errors.add(new FieldError("materials", "material " + m + " does not exist"));
                } else if (meetingDao.find(material.get().meetingId()).map(Meeting::unitId).filter(u -> u == unitId).isEmpty()) {
                    throw new ConveneException.NotAllowed("materials: material " + m + " is not one of unit " + unitId + "'s own");
                } else if (material.get().confidential()) {
                    errors.add(new FieldError("materials", "material " + m + " is confidential: it is never copied to other units' meetings"));
                }
            }
            if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
            Instant now = clock.instant();
            long id = h.createUpdate("INSERT INTO topics (unit_id, title, quarter, created_at) VALUES (:u, :t, :q, :now)")
                    .bind("u", unitId).bind("t", title).bind("q", r.quarter()).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            for (long m : materials) h.createUpdate("INSERT INTO topic_materials (topic_id, material_id) VALUES (:t, :m)").bind("t", id).bind("m", m).execute();
            for (long target : targets) {
                h.createUpdate("INSERT INTO topic_units (topic_id, unit_id) VALUES (:t, :u)").bind("t", id).bind("u", target).execute();
                new MeetingDao(h).next(target, now).filter(m -> !m.recorded()).ifPresent(m -> place(h, id, m, committee));
            }
            AuditLog.record(h, now, actor, "topic.pushed", "unit", unitId, title + " → " + targets.size() + " units");
            return topic(h, id);
        });
    }

    /** Puts the topics still waiting for a meeting of the unit onto this new meeting's agenda. */
    public static void placePending(Handle h, Meeting meeting) {
        List<Long> pending = h.createQuery("SELECT topic_id FROM topic_units WHERE unit_id = :u AND meeting_id IS NULL ORDER BY topic_id")
                .bind("u", meeting.unitId()).mapTo(Long.class).list();
        for (long topicId : pending) {
            long committeeId = h.createQuery("SELECT unit_id FROM topics WHERE id = :t").bind("t", topicId).mapTo(Long.class).one();
            place(h, topicId, meeting, h.attach(UnitDao.class).find(committeeId).orElseThrow());
        }
    }

    private static void place(Handle h, long topicId, Meeting meeting, Unit committee) {
        String title = h.createQuery("SELECT title FROM topics WHERE id = :t").bind("t", topicId).mapTo(String.class).one();
        int position = h.createQuery("SELECT COALESCE(MAX(position) + 1, 0) FROM agenda_items WHERE meeting_id = :m")
                .bind("m", meeting.id()).mapTo(Integer.class).one();
        h.createUpdate("INSERT INTO agenda_items (meeting_id, position, title, presenter, minutes) VALUES (:m, :p, :t, :by, NULL)")
                .bind("m", meeting.id()).bind("p", position).bind("t", title).bind("by", committee.name()).execute();
        h.createUpdate("UPDATE topic_units SET meeting_id = :m WHERE topic_id = :t AND unit_id = :u")
                .bind("m", meeting.id()).bind("t", topicId).bind("u", meeting.unitId()).execute();
        // the topic's papers go with it; the bytes are shared, being stored by content
        h.createUpdate("""
                INSERT INTO materials (meeting_id, filename, media_type, size, sha256, confidential, created_at)
                SELECT :m, mt.filename, mt.media_type, mt.size, mt.sha256, mt.confidential, mt.created_at
                FROM topic_materials tm JOIN materials mt ON mt.id = tm.material_id WHERE tm.topic_id = :t""")
                .bind("m", meeting.id()).bind("t", topicId).execute();
    }

    public Topic get(long id) {
        return jdbi.withHandle(h -> topic(h, id));
    }

    private static Topic topic(Handle h, long id) {
        Optional<Object[]> row = h.createQuery("SELECT unit_id, title, quarter FROM topics WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)}).findOne();
        Object[] r = row.orElseThrow(() -> new ConveneException.NotFound("topic", id));
        List<Long> materials = h.createQuery("SELECT material_id FROM topic_materials WHERE topic_id = :t ORDER BY material_id").bind("t", id).mapTo(Long.class).list();
        List<Placement> units = h.createQuery("SELECT unit_id, meeting_id FROM topic_units WHERE topic_id = :t ORDER BY unit_id").bind("t", id)
                .map((rs, ctx) -> new Placement(rs.getLong(1), rs.getObject(2) == null ? null : rs.getLong(2))).list();
        return new Topic(id, (Long) r[0], (String) r[1], (String) r[2], materials, units);
    }
}
