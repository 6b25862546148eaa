package org.convene.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.convene.meeting.MaterialStore;
import org.convene.meeting.NameKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes a province straight into the database, in batches: units each with a Telegram group, members
 * with their Telegram accounts, a meeting per unit with its documents, reminders, answers. Setting up is
 * not what is measured, so it goes around the services, but it writes the rows the services would.
 */
final class ProvinceSeed {
    static final String ZONE = "Asia/Ho_Chi_Minh";
    private static final int BATCH = 2_000;

    /** A unit and its one Telegram group. */
    record Group(long unitId, long chatId, String telegramChatId) {}

    /** A member of a unit with a linked Telegram account. */
    record Member(long personId, long unitId, long telegramUserId) {}

    private final Jdbi jdbi;
    private final Instant now;

    ProvinceSeed(Jdbi jdbi, Instant now) {
        this.jdbi = jdbi;
        this.now = now;
    }

    /** {@code count} units, each with one active Telegram supergroup. */
    List<Group> groups(int count) {
        long firstUnit = nextId("units");
        long firstChat = nextId("chats");
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows units = batches.rows("INSERT INTO units (id, name, parent_id, timezone, locale, feed_token, created_at) VALUES (?, ?, NULL, ?, 'vi', ?, ?)");
                Rows chats = batches.rows("INSERT INTO chats (id, unit_id, platform, platform_chat_id, title, state, created_at) VALUES (?, ?, 'telegram', ?, ?, 'active', ?)");
                for (int i = 0; i < count; i++) {
                    long unit = firstUnit + i;
                    units.add(unit, "Chi bộ " + unit, ZONE, "bench-feed-" + unit, now);
                    chats.add(firstChat + i, unit, telegramChatId(unit), "Chi bộ " + unit, now);
                }
            }
        });
        List<Group> groups = new ArrayList<>(count);
        for (int i = 0; i < count; i++) groups.add(new Group(firstUnit + i, firstChat + i, telegramChatId(firstUnit + i)));
        return groups;
    }

    static String telegramChatId(long unitId) {
        return String.valueOf(-1_001_000_000_000L - unitId);
    }

    /** {@code perUnit} members in each group's unit, each with a Telegram account (user id = 5e9 + person id). */
    List<Member> members(List<Group> groups, int perUnit) {
        long firstPerson = nextId("persons");
        List<Member> members = new ArrayList<>(groups.size() * perUnit);
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows persons = batches.rows("INSERT INTO persons (id, name, name_key, phone, created_at) VALUES (?, ?, ?, NULL, ?)");
                Rows memberships = batches.rows("INSERT INTO memberships (unit_id, person_id, role, created_at) VALUES (?, ?, ?, ?)");
                Rows identities = batches.rows("INSERT INTO identities (person_id, platform, user_id, user_name, created_at) VALUES (?, 'telegram', ?, ?, ?)");
                long person = firstPerson;
                for (Group g : groups) {
                    for (int i = 0; i < perUnit; i++, person++) {
                        String name = "Đảng viên " + person;
                        persons.add(person, name, NameKey.of(name), now);
                        memberships.add(g.unitId(), person, i == 0 ? "secretary" : "member", now);
                        identities.add(person, String.valueOf(telegramUserId(person)), name, now);
                        members.add(new Member(person, g.unitId(), telegramUserId(person)));
                    }
                }
            }
        });
        return members;
    }

    static long telegramUserId(long personId) {
        return 5_000_000_000L + personId;
    }

    /** One meeting per group's unit, starting at {@code startsAt(unitId)}, with a two-item agenda; returns the meeting ids in group order. */
    List<Long> meetings(List<Group> groups, LongFunction<Instant> startsAt) {
        long first = nextId("meetings");
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows meetings = batches.rows("""
                    INSERT INTO meetings (id, unit_id, title, kind, starts_at, zone, duration_minutes, location, status, version,
                                          created_at, updated_at, recorded)
                    VALUES (?, ?, 'Sinh hoạt chi bộ thường kỳ', 'regular', ?, ?, 120, 'Nhà văn hoá thôn', 'scheduled', 1, ?, ?, 0)""");
                Rows agenda = batches.rows("INSERT INTO agenda_items (meeting_id, position, title, presenter, minutes) VALUES (?, ?, ?, NULL, NULL)");
                for (int i = 0; i < groups.size(); i++) {
                    long id = first + i;
                    meetings.add(id, groups.get(i).unitId(), startsAt.apply(groups.get(i).unitId()), ZONE, now, now);
                    agenda.add(id, 0, "Báo cáo tình hình tháng");
                    agenda.add(id, 1, "Phân công nhiệm vụ");
                }
            }
        });
        List<Long> ids = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) ids.add(first + i);
        return ids;
    }

    /** A document stored once under the data directory, attached to meetings by its content hash. */
    record Document(String filename, String sha256, long size) {}

    /**
     * The province's two documents for this month's meetings (the same directive goes to every cell):
     * the demo's agenda PDF and a larger resolution, stored once.
     */
    static List<Document> documents(MaterialStore store) {
        List<Document> docs = new ArrayList<>();
        try (InputStream agenda = ProvinceSeed.class.getResourceAsStream("/demo/chuong-trinh-sinh-hoat.pdf")) {
            if (agenda == null) throw new IllegalStateException("the demo PDF is missing from the jar");
            MaterialStore.Stored s = store.put(agenda, Long.MAX_VALUE);
            docs.add(new Document("chuong-trinh-sinh-hoat.pdf", s.sha256(), s.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MaterialStore.Stored s = store.put(new ByteArrayInputStream(resolutionPdf(200 * 1024)), Long.MAX_VALUE);
        docs.add(new Document("nghi-quyet.pdf", s.sha256(), s.size()));
        return docs;
    }

    /** A PDF-shaped file of about {@code bytes}: the fake Bot API only counts its bytes. */
    private static byte[] resolutionPdf(int bytes) {
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n% Nghị quyết chi bộ\n");
        while (pdf.length() < bytes) pdf.append("% dòng nội dung nghị quyết về nhiệm vụ tháng tới ").append(pdf.length()).append('\n');
        pdf.append("%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.UTF_8);
    }

    void attach(List<Long> meetings, List<Document> documents) {
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows materials = batches.rows("""
                    INSERT INTO materials (meeting_id, filename, media_type, size, sha256, confidential, created_at)
                    VALUES (?, ?, 'application/pdf', ?, ?, 0, ?)""");
                for (long meeting : meetings) {
                    for (Document d : documents) materials.add(meeting, d.filename(), d.size(), d.sha256(), now);
                }
            }
        });
    }

    /** A pending reminder of {@code kind} for each meeting, due at {@code dueAt(meetingId)}. */
    void reminders(List<Long> meetings, String kind, LongFunction<Instant> dueAt) {
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows reminders = batches.rows("""
                    INSERT INTO reminders (meeting_id, position, offset_iso, kind, due_at, state, created_at)
                    VALUES (?, 0, 'PT2H', ?, ?, 'pending', ?)""");
                for (long meeting : meetings) reminders.add(meeting, kind, dueAt.apply(meeting), now);
            }
        });
    }

    /**
     * An agenda already posted in each group (as message 1), as if its wave went out earlier: answers
     * then ask for tally edits of it, as in real life.
     */
    void postedAgendas(List<Group> groups, List<Long> meetings) {
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows deliveries = batches.rows("""
                    INSERT INTO deliveries (meeting_id, reminder_id, chat_id, kind, part, payload, idempotency_key, state, attempts,
                                            due_at, next_attempt_at, platform_message_id, created_at, sent_at)
                    VALUES (?, NULL, ?, 'agenda', 0, '{"type":"text","text":"agenda","buttons":[],"mentions":[]}', ?, 'sent', 1,
                            ?, ?, '1', ?, ?)""");
                for (int i = 0; i < groups.size(); i++) {
                    deliveries.add(meetings.get(i), groups.get(i).chatId(), "bench:agenda:" + meetings.get(i), now, now, now, now);
                }
            }
        });
    }

    /** Every member's answer to their unit's meeting (with its history row), as after a month's wave. */
    void answers(List<Member> members, java.util.Map<Long, Long> meetingOfUnit) {
        write(h -> {
            try (Batches batches = new Batches(h)) {
                Rows responses = batches.rows("""
                    INSERT INTO responses (meeting_id, person_id, received_at, rsvp, reason_code, reason, source, responded_at)
                    VALUES (?, ?, ?, ?, NULL, NULL, 'button', ?)""");
                Rows history = batches.rows("""
                    INSERT INTO response_history (meeting_id, person_id, action, rsvp, reason_code, reason, source, at)
                    VALUES (?, ?, 'rsvp', ?, NULL, NULL, 'button', ?)""");
                for (Member member : members) {
                    long meeting = meetingOfUnit.get(member.unitId());
                    String rsvp = member.personId() % 10 == 0 ? "no" : "yes";
                    responses.add(meeting, member.personId(), now, rsvp, now);
                    history.add(meeting, member.personId(), rsvp, now);
                }
            }
        });
    }

    private long nextId(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).mapTo(Long.class).one());
    }

    private void write(java.util.function.Consumer<Handle> work) {
        jdbi.useTransaction(work::accept);
    }

    /**
     * INSERT statements sent in JDBC batches, flushed together in the order they were made, so that a
     * parent's rows always reach the database before its children's (foreign keys are on).
     */
    private static final class Batches implements AutoCloseable {
        private final Handle handle;
        private final List<Rows> all = new ArrayList<>();

        Batches(Handle handle) {
            this.handle = handle;
        }

        Rows rows(String sql) {
            try {
                Rows rows = new Rows(this, handle.getConnection().prepareStatement(sql));
                all.add(rows);
                return rows;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        void flushIfFull(Rows rows) throws SQLException {
            if (rows.pending >= BATCH) flush();
        }

        private void flush() throws SQLException {
            for (Rows r : all) r.flush();
        }

        @Override
        public void close() {
            try {
                flush();
                for (Rows r : all) r.statement.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The rows of one INSERT; instants are stored as epoch milliseconds, as the service stores them. */
    private static final class Rows {
        private final Batches batches;
        private final PreparedStatement statement;
        private int pending;

        Rows(Batches batches, PreparedStatement statement) {
            this.batches = batches;
            this.statement = statement;
        }

        void add(Object... values) {
            try {
                for (int i = 0; i < values.length; i++) {
                    Object v = values[i] instanceof Instant instant ? instant.toEpochMilli() : values[i];
                    statement.setObject(i + 1, v);
                }
                statement.addBatch();
                pending++;
                batches.flushIfFull(this);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void flush() throws SQLException {
            if (pending == 0) return;
            statement.executeBatch();
            pending = 0;
        }
    }

    static long count(Handle h, String sql) {
        return h.createQuery(sql).mapTo(Long.class).one();
    }
}
