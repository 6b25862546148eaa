package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A district with two cells, a month with three meetings in one and one in the other: every number checked by hand. */
class AttendanceReportTest {
    static TestConvene app;
    static long district;
    static long cellA;
    static long cellB;
    static long m1;
    static long m2;
    static long m3;
    static long m4;
    static Map<String, Long> a;

    @BeforeAll
    static void start() {
        app = TestConvene.start();
        district = app.unit("Đảng uỷ xã Lạc Thanh");
        cellA = app.api.post("/api/v1/units", Map.of("name", "Chi bộ thôn Đông", "parentId", district)).body().get("id").asLong();
        cellB = app.api.post("/api/v1/units", Map.of("name", "Chi bộ thôn Tây", "parentId", district)).body().get("id").asLong();
        a = Map.of("Nguyễn Văn Ánh", app.member(cellA, "Nguyễn Văn Ánh", null), "Trần Thị Bích", app.member(cellA, "Trần Thị Bích", null),
                "Lê Văn Cường", app.member(cellA, "Lê Văn Cường", null), "Phạm Thị Dung", app.member(cellA, "Phạm Thị Dung", null));
        long b1 = app.member(cellB, "Hoàng Văn Em", null);
        app.member(cellB, "Đỗ Thị Phượng", null);
        m1 = app.meeting(cellA, "2026-12-02T19:30", List.of()).get("id").asLong();
        m2 = app.meeting(cellA, "2026-12-09T19:30", List.of()).get("id").asLong();
        m3 = app.meeting(cellA, "2026-12-16T19:30", List.of()).get("id").asLong();
        long cancelled = app.meeting(cellA, "2026-12-23T19:30", List.of()).get("id").asLong();
        m4 = app.meeting(cellB, "2026-12-10T19:30", List.of()).get("id").asLong();
        app.api.post("/api/v1/meetings/" + cancelled + "/cancel", Map.of("reason", "Bão"));
        // answers before the meetings (taken by phone), which pre-fill attendance
        reply(m2, "Nguyễn Văn Ánh", "yes", null);
        reply(m2, "Trần Thị Bích", "yes", null);
        reply(m2, "Lê Văn Cường", "no", "Ốm");
        reply(m3, "Nguyễn Văn Ánh", "yes", null);
        reply(m4, b1, "no", null);
        app.clock.advance(Duration.ofDays(27)); // 28 December
        // m1 confirmed by the secretary: 3 present, 1 excused
        put(m1, Map.of("Nguyễn Văn Ánh", "present", "Trần Thị Bích", "present", "Lê Văn Cường", "present", "Phạm Thị Dung", "excused"));
        // m3 confirmed with a correction: Ánh said yes but did not come
        put(m3, Map.of("Nguyễn Văn Ánh", "absent", "Trần Thị Bích", "present", "Lê Văn Cường", "present", "Phạm Thị Dung", "present"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void each_meeting_counts_invited_present_excused_absent_and_its_rates() {
        JsonNode report = report("json");
        JsonNode meetings = report.get("meetings");
        assertThat(meetings).extracting(m -> m.get("meetingId").asLong()).containsExactly(m1, m2, m4, m3);
        assertThat(counts(meeting(report, m1))).isEqualTo("4/3/1/0 rate=0.75 ex=1.0 below=true confirmed=true");
        assertThat(counts(meeting(report, m2))).isEqualTo("4/2/1/1 rate=0.5 ex=0.6667 below=true confirmed=false");
        assertThat(counts(meeting(report, m3))).isEqualTo("4/3/0/1 rate=0.75 ex=0.75 below=true confirmed=true");
        assertThat(counts(meeting(report, m4))).isEqualTo("2/0/0/2 rate=0.0 ex=0.0 below=true confirmed=false");
    }

    @Test
    void units_roll_up_by_month_and_quarter_with_the_parent_summing_its_cells() {
        JsonNode report = report("json");
        assertThat(unitRow(report, cellA, "2026-12")).isEqualTo("meetings=3 12/8/2/2 rate=0.6667 ex=0.8");
        assertThat(unitRow(report, cellB, "2026-12")).isEqualTo("meetings=1 2/0/0/2 rate=0.0 ex=0.0");
        assertThat(unitRow(report, district, "2026-12")).isEqualTo("meetings=4 14/8/2/4 rate=0.5714 ex=0.6667");
        assertThat(unitRow(report, district, "2026-Q4")).isEqualTo("meetings=4 14/8/2/4 rate=0.5714 ex=0.6667");
        assertThat(report.get("target").asDouble()).isEqualTo(0.9);
    }

    @Test
    void member_rows_give_each_status_with_the_answer_behind_it() {
        JsonNode members = report("json").get("members");
        JsonNode cuong = null;
        for (JsonNode r : members) if (r.get("meetingId").asLong() == m2 && r.get("name").asText().equals("Lê Văn Cường")) cuong = r;
        assertThat(cuong).isNotNull();
        assertThat(cuong.get("status").asText()).isEqualTo("excused");
        assertThat(cuong.get("reason").asText()).isEqualTo("Ốm");
        assertThat(cuong.get("confirmed").asBoolean()).isFalse();
        assertThat(members).hasSize(14);
    }

    @Test
    void the_csv_has_a_bom_and_vietnamese_names_intact() throws Exception {
        Http.Reply csv = app.api.get("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        byte[] raw = app.api.getBytes("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31&format=csv");
        assertThat(raw).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(raw, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFmeetingId,");
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(text.substring(1)))) {
            List<CSVRecord> rows = parser.getRecords();
            assertThat(rows).hasSize(14);
            assertThat(rows).extracting(r -> r.get("name")).contains("Trần Thị Bích", "Đỗ Thị Phượng");
            assertThat(rows).extracting(r -> r.get("unit")).contains("Chi bộ thôn Đông");
        }
    }

    @Test
    void a_cell_token_cannot_read_the_districts_report_and_bad_parameters_are_422() {
        String token = app.api.post("/api/v1/units/" + cellA + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        assertThat(app.api.as(token).get("/api/v1/reports/attendance?unitId=" + district).status()).isEqualTo(403);
        assertThat(app.api.as(token).get("/api/v1/reports/attendance?unitId=" + cellA + "&from=2026-12-01&to=2026-12-31").status()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/reports/attendance?unitId=" + district + "&format=xml").status()).isEqualTo(422);
        assertThat(app.api.get("/api/v1/reports/attendance?unitId=" + district + "&from=soon").status()).isEqualTo(422);
        assertThat(app.api.get("/api/v1/reports/attendance").status()).isEqualTo(422);
    }

    private static JsonNode report(String format) {
        Http.Reply r = app.api.get("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31&format=" + format);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode meeting(JsonNode report, long id) {
        for (JsonNode m : report.get("meetings")) if (m.get("meetingId").asLong() == id) return m;
        throw new AssertionError("no meeting " + id);
    }

    private static String counts(JsonNode m) {
        return m.get("invited").asInt() + "/" + m.get("present").asInt() + "/" + m.get("excused").asInt() + "/" + m.get("absent").asInt()
                + " rate=" + m.get("rate").asDouble() + " ex=" + m.get("rateExcludingExcused").asDouble()
                + " below=" + m.get("belowTarget").asBoolean() + " confirmed=" + m.get("confirmed").asBoolean();
    }

    private static String unitRow(JsonNode report, long unit, String period) {
        for (JsonNode r : report.get("units")) {
            if (r.get("unitId").asLong() == unit && r.get("period").asText().equals(period)) {
                return "meetings=" + r.get("meetings").asInt() + " " + r.get("invited").asInt() + "/" + r.get("present").asInt() + "/"
                        + r.get("excused").asInt() + "/" + r.get("absent").asInt() + " rate=" + r.get("rate").asDouble()
                        + " ex=" + r.get("rateExcludingExcused").asDouble();
            }
        }
        throw new AssertionError("no row " + unit + " " + period);
    }

    private static void reply(long meeting, String name, String rsvp, String reason) {
        reply(meeting, a.get(name), rsvp, reason);
    }

    private static void reply(long meeting, long memberId, String rsvp, String reason) {
        Map<String, Object> body = reason == null ? Map.of("memberId", memberId, "rsvp", rsvp) : Map.of("memberId", memberId, "rsvp", rsvp, "reason", reason);
        assertThat(app.api.post("/api/v1/meetings/" + meeting + "/responses", body).status()).isEqualTo(201);
    }

    private static void put(long meeting, Map<String, String> statuses) {
        List<Map<String, Object>> body = statuses.entrySet().stream()
                .map(e -> Map.<String, Object>of("memberId", a.get(e.getKey()), "status", e.getValue())).toList();
        assertThat(app.api.put("/api/v1/meetings/" + meeting + "/attendance", body).status()).isEqualTo(200);
    }
}
