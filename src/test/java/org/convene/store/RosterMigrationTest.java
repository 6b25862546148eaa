package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database filled before memberships had dates and statuses (migrations up to 18.1) upgrades without loss:
 * its members, answers, attendance and the month's figures read as they did.
 */
class RosterMigrationTest {
    @TempDir
    Path dir;

    @Test
    void a_database_filled_before_the_roster_over_time_keeps_its_members_answers_and_figures() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("convene.db");
        Flyway.configure().dataSource(url, null, null).locations(Dialect.SQLITE.migrationLocations())
                .placeholders(Dialect.SQLITE.placeholders()).target("18.1").load().migrate();
        long created = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
        long starts = Instant.parse("2026-11-10T12:00:00Z").toEpochMilli();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO units (id, name, timezone, locale, feed_token, created_at) VALUES (1, 'Chi bộ cũ', 'Asia/Ho_Chi_Minh', 'vi', 'feed-old-1', " + created + ")");
            String[][] people = {{"Nguyễn Văn Hùng", "secretary"}, {"Trần Thị Lan", "member"}, {"Lê Văn Minh", "member"}};
            for (int i = 0; i < people.length; i++) {
                s.executeUpdate("INSERT INTO persons (id, name, name_key, created_at) VALUES (" + (i + 1) + ", '" + people[i][0] + "', '"
                        + org.convene.meeting.NameKey.of(people[i][0]) + "', " + created + ")");
                s.executeUpdate("INSERT INTO memberships (unit_id, person_id, role, created_at) VALUES (1, " + (i + 1) + ", '" + people[i][1] + "', " + created + ")");
            }
            s.executeUpdate("INSERT INTO meetings (id, unit_id, title, kind, starts_at, zone, duration_minutes, status, version, created_at, updated_at)"
                    + " VALUES (1, 1, 'Sinh hoạt tháng 11', 'regular', " + starts + ", 'Asia/Ho_Chi_Minh', 120, 'scheduled', 1, " + created + ", " + created + ")");
            s.executeUpdate("INSERT INTO responses (meeting_id, person_id, received_at, rsvp, source, responded_at) VALUES (1, 2, " + created + ", 'yes', 'button', " + created + ")");
            s.executeUpdate("INSERT INTO attendance (meeting_id, person_id, status, recorded_at) VALUES (1, 1, 'present', " + starts + "), (1, 2, 'present', " + starts + "), (1, 3, 'absent', " + starts + ")");
        }

        try (TestConvene app = TestConvene.startIn(dir, new MutableClock(Instant.parse("2026-12-01T01:00:00Z")), Map.of(), c -> c)) {
            JsonNode members = app.api.get("/api/v1/units/1/members").body();
            JsonNode responses = app.api.get("/api/v1/meetings/1/responses").body();
            JsonNode month = null;
            for (JsonNode row : app.api.get("/api/v1/reports/units?unitId=1&from=2026-11-01&to=2026-11-30").body().get("rows")) {
                if (row.get("period").asText().equals("2026-11")) month = row;
            }

            assertThat(members).extracting(m -> m.get("name").asText() + "/" + m.get("role").asText() + "/" + m.get("status").asText()
                    + "/" + (m.get("personId").asLong() == m.get("id").asLong()))
                    .containsExactlyInAnyOrder("Nguyễn Văn Hùng/secretary/official/true", "Trần Thị Lan/member/official/true",
                            "Lê Văn Minh/member/official/true");
            assertThat(responses.at("/summary/invited").asInt()).isEqualTo(3);
            assertThat(responses.at("/summary/yes").asInt()).isEqualTo(1);
            assertThat(month.get("invited").asInt()).isEqualTo(3);
            assertThat(month.get("present").asInt()).isEqualTo(2);
            assertThat(month.get("absent").asInt()).isEqualTo(1);
        }
    }
}
