package org.convene.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.convene.store.Database;

/**
 * The limit the ingest scenario is measured against, in the same run: the rows one acknowledgement
 * writes (its update id, the answer, its history row, its audit event) inserted straight through JDBC,
 * a thousand acknowledgements to a transaction, from one thread, into a SQLite file with Convene's
 * schema and pragmas. What SQLite itself can take on this machine, with no HTTP, no parsing, no checks.
 */
final class RawAckInserts {
    private static final int PER_TRANSACTION = 1_000;

    private RawAckInserts() {}

    /** Acknowledgements per second; {@code dir} gets a fresh database, seeded like the scenario's. */
    static double acksPerSecond(Path dir, int units, int membersPerUnit) throws SQLException {
        try (Database db = Database.sqlite(dir.resolve("raw.db"))) {
            db.migrate();
            ProvinceSeed seed = new ProvinceSeed(db.jdbi(), java.time.Instant.now());
            List<ProvinceSeed.Group> groups = seed.groups(units);
            List<ProvinceSeed.Member> members = seed.members(groups, membersPerUnit);
            List<Long> meetings = seed.meetings(groups, u -> java.time.Instant.now().plus(java.time.Duration.ofDays(3)));
            Map<Long, Long> meetingOfUnit = new java.util.HashMap<>();
            for (int i = 0; i < groups.size(); i++) meetingOfUnit.put(groups.get(i).unitId(), meetings.get(i));
            try (Connection c = db.dataSource().getConnection()) {
                return insert(c, members, meetingOfUnit);
            }
        }
    }

    private static double insert(Connection c, List<ProvinceSeed.Member> members, Map<Long, Long> meetingOfUnit) throws SQLException {
        c.setAutoCommit(false);
        long started = System.nanoTime();
        try (PreparedStatement update = c.prepareStatement("INSERT INTO inbound_updates (platform, update_id, received_at) VALUES ('telegram', ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement answer = c.prepareStatement("""
                     INSERT INTO responses (meeting_id, person_id, received_at, rsvp, reason_code, reason, source, responded_at)
                     VALUES (?, ?, ?, NULL, NULL, NULL, 'button', ?)
                     ON CONFLICT (meeting_id, person_id) DO UPDATE SET received_at = COALESCE(responses.received_at, excluded.received_at),
                       source = excluded.source, responded_at = excluded.responded_at""");
             PreparedStatement history = c.prepareStatement("""
                     INSERT INTO response_history (meeting_id, person_id, action, rsvp, reason_code, reason, source, at)
                     VALUES (?, ?, 'received', NULL, NULL, NULL, 'button', ?)""");
             PreparedStatement audit = c.prepareStatement("""
                     INSERT INTO audit_events (at, actor, action, entity, entity_id, detail) VALUES (?, ?, 'response.recorded', 'meeting', ?, ?)""")) {
            int inTransaction = 0;
            for (ProvinceSeed.Member m : members) {
                long now = System.currentTimeMillis();
                long meeting = meetingOfUnit.get(m.unitId());
                update.setString(1, "7000000001:" + m.personId());
                update.setLong(2, now);
                update.executeUpdate();
                answer.setLong(1, meeting);
                answer.setLong(2, m.personId());
                answer.setLong(3, now);
                answer.setLong(4, now);
                answer.executeUpdate();
                history.setLong(1, meeting);
                history.setLong(2, m.personId());
                history.setLong(3, now);
                history.executeUpdate();
                audit.setLong(1, now);
                audit.setString(2, "telegram:" + m.telegramUserId());
                audit.setString(3, String.valueOf(meeting));
                audit.setString(4, "person " + m.personId() + " Received[]");
                audit.executeUpdate();
                if (++inTransaction == PER_TRANSACTION) {
                    c.commit();
                    inTransaction = 0;
                }
            }
            c.commit();
        }
        return members.size() / ((System.nanoTime() - started) / 1e9);
    }
}
