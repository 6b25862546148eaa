package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets the contract's error shape and changes nothing. */
class ApiErrorsTest {
    static TestConvene app;
    static long unit;
    static long otherUnit;
    static long meeting;

    @BeforeAll
    static void start() {
        app = TestConvene.start(Map.of("CONVENE_MATERIALS_MAX_BYTES", String.valueOf(20L * 1024 * 1024)));
        unit = app.unit("Chi bộ 1");
        otherUnit = app.unit("Chi bộ 2");
        meeting = app.meeting(unit, "2026-12-05T19:30", null).get("id").asLong();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void POST_meetings_without_title_returns_422_naming_the_field_and_stores_nothing() {
        int before = meetingCount();
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "startsAt", "2026-12-05T19:30"));
        assertError(r, 422, "invalid");
        assertThat(r.body().at("/error/details/0/field").asText()).isEqualTo("title");
        assertThat(meetingCount()).isEqualTo(before);
    }

    @Test
    void POST_meetings_with_an_unparseable_time_returns_422() {
        int before = meetingCount();
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "thứ bảy tối"));
        assertError(r, 422, "invalid");
        assertThat(r.body().at("/error/details/0/field").asText()).isEqualTo("startsAt");
        assertThat(meetingCount()).isEqualTo(before);
    }

    @Test
    void POST_meetings_with_a_bad_reminder_offset_returns_422_and_stores_nothing() {
        int before = meetingCount();
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "2026-12-05T19:30",
                "reminders", List.of("P3D", Map.of("offset", "three days", "kind", "agenda"), Map.of("offset", "PT1H", "kind", "shout"))));
        assertError(r, 422, "invalid");
        assertThat(r.body().at("/error/details")).extracting(d -> d.get("field").asText())
                .contains("reminders[1].offset", "reminders[2].kind");
        assertThat(meetingCount()).isEqualTo(before);
    }

    @Test
    void malformed_json_returns_400() {
        Http.Reply r = app.api.post("/api/v1/meetings", "{\"unitId\": 1, \"title\": ");
        assertError(r, 400, "malformed");
    }

    @Test
    void a_field_of_the_wrong_type_returns_422() {
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "2026-12-05T19:30", "durationMinutes", "long"));
        assertError(r, 422, "invalid");
    }

    @Test
    void an_unknown_unit_returns_404() {
        assertError(app.api.post("/api/v1/meetings", Map.of("unitId", 999, "title", "Họp", "startsAt", "2026-12-05T19:30")), 404, "not_found");
        assertError(app.api.get("/api/v1/units/999"), 404, "not_found");
        assertError(app.api.get("/api/v1/meetings/999"), 404, "not_found");
    }

    @Test
    void no_token_or_a_wrong_token_returns_401() {
        assertError(app.anonymous.get("/api/v1/units"), 401, "unauthorized");
        assertError(app.api.as("not-a-token").get("/api/v1/units"), 401, "unauthorized");
        int before = meetingCount();
        assertError(app.anonymous.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "2026-12-05T19:30")), 401, "unauthorized");
        assertThat(meetingCount()).isEqualTo(before);
    }

    @Test
    void another_units_secretary_token_returns_403_and_its_own_unit_works() {
        String token = app.api.post("/api/v1/units/" + otherUnit + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        Http secretary = app.api.as(token);
        int before = meetingCount();
        assertError(secretary.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "2026-12-05T19:30")), 403, "forbidden");
        assertError(secretary.get("/api/v1/meetings/" + meeting), 403, "forbidden");
        assertError(secretary.get("/api/v1/units/" + unit + "/members"), 403, "forbidden");
        assertThat(meetingCount()).isEqualTo(before);
        assertThat(secretary.post("/api/v1/meetings", Map.of("unitId", otherUnit, "title", "Họp", "startsAt", "2026-12-05T19:30")).status())
                .isEqualTo(201);
        assertThat(secretary.get("/api/v1/units").body()).extracting(u -> u.get("id").asLong()).containsExactly(otherUnit);
    }

    @Test
    void a_supervisor_token_reaches_the_units_below_but_not_beside() {
        long district = app.unit("Đảng uỷ xã");
        long cell = app.api.post("/api/v1/units", Map.of("name", "Chi bộ thôn 1", "parentId", district)).body().get("id").asLong();
        String token = app.api.post("/api/v1/units/" + district + "/tokens", Map.of("role", "supervisor")).body().get("token").asText();
        Http supervisor = app.api.as(token);
        assertThat(supervisor.get("/api/v1/units/" + cell).status()).isEqualTo(200);
        assertError(supervisor.get("/api/v1/units/" + unit), 403, "forbidden");
        assertError(supervisor.post("/api/v1/units/" + district + "/tokens", Map.of("role", "supervisor")), 403, "forbidden");
    }

    @Test
    void tokens_are_stored_hashed_never_as_issued() {
        String token = app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", "secretary", "label", "phone")).body().get("token").asText();
        List<String> stored = app.convene.services().database().jdbi()
                .withHandle(h -> h.createQuery("SELECT token_hash FROM api_tokens").mapTo(String.class).list());
        assertThat(stored).doesNotContain(token).contains(ApiTokens.sha256(token));
    }

    @Test
    void an_upload_over_the_limit_returns_413_and_stores_nothing() {
        byte[] big = new byte[30 * 1024 * 1024];
        System.arraycopy(Samples.pdf(), 0, big, 0, Samples.pdf().length);
        Http.Reply r = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "big.pdf", big, "application/pdf");
        assertError(r, 413, "too_large");
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/materials").body()).isEmpty();
    }

    @Test
    void an_executable_named_pdf_returns_415_and_stores_nothing() {
        Http.Reply r = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "nghi-quyet.pdf", Samples.exe(), "application/pdf");
        assertError(r, 415, "unsupported_type");
        assertThat(r.body().at("/error/message").asText()).contains("nghi-quyet.pdf");
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/materials").body()).isEmpty();
    }

    @Test
    void a_reply_taken_by_phone_for_a_stranger_returns_422() {
        long stranger = app.member(otherUnit, "Người lạ", null);
        assertError(app.api.post("/api/v1/meetings/" + meeting + "/responses", Map.of("memberId", stranger, "rsvp", "yes")), 422, "invalid");
        assertError(app.api.post("/api/v1/meetings/" + meeting + "/responses", Map.of("memberId", stranger, "rsvp", "maybe")), 422, "invalid");
    }

    @Test
    void attendance_with_a_bad_status_changes_nothing() {
        long member = app.member(unit, "Phạm Thị Hoa", null);
        Http.Reply r = app.api.put("/api/v1/meetings/" + meeting + "/attendance",
                List.of(Map.of("memberId", member, "status", "present"), Map.of("memberId", member, "status", "sleeping")));
        assertError(r, 422, "invalid");
        JsonNode rows = app.api.get("/api/v1/meetings/" + meeting + "/attendance").body();
        assertThat(rows).allSatisfy(row -> assertThat(row.get("confirmed").asBoolean()).isFalse());
    }

    @Test
    void a_cancelled_meeting_cannot_be_changed() {
        long m = app.meeting(unit, "2026-12-06T19:30", null).get("id").asLong();
        assertThat(app.api.post("/api/v1/meetings/" + m + "/cancel", Map.of("reason", "Bão")).status()).isEqualTo(200);
        assertError(app.api.patch("/api/v1/meetings/" + m, Map.of("title", "Khác")), 409, "conflict");
        assertError(app.api.post("/api/v1/meetings/" + m + "/cancel", Map.of("reason", "again")), 409, "conflict");
    }

    @Test
    void every_change_writes_an_audit_event() {
        int before = auditCount();
        long m = app.meeting(unit, "2026-12-07T19:30", null).get("id").asLong();
        app.api.patch("/api/v1/meetings/" + m, Map.of("location", "Hội trường thôn"));
        app.api.post("/api/v1/meetings/" + m + "/cancel", Map.of("reason", "Trùng lịch"));
        List<String> actions = app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT action FROM audit_events WHERE entity = 'meeting' AND entity_id = :id ORDER BY id").bind("id", String.valueOf(m)).mapTo(String.class).list());
        assertThat(actions).containsExactly("meeting.created", "meeting.changed", "meeting.cancelled");
        assertThat(auditCount()).isEqualTo(before + 3);
    }

    static void assertError(Http.Reply r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.errorCode()).as(r.text()).isEqualTo(code);
        assertThat(r.body().at("/error/message").asText()).isNotBlank();
        assertThat(r.body().at("/error/details").isArray()).isTrue();
    }

    static int meetingCount() {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM meetings").mapTo(Integer.class).one());
    }

    static int auditCount() {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_events").mapTo(Integer.class).one());
    }
}
