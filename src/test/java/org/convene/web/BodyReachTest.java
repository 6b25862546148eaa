package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every id inside a request body is checked against the caller's reach, as every id in a path is: a
 * secretary of one cell sends each route's body fields that name objects with the ids of a sibling cell,
 * and nothing of that cell is read, copied, invited or changed.
 */
class BodyReachTest {
    TestConvene app;
    long district;
    long cellA;
    long cellB;
    long memberA;
    long memberB;
    long meetingA;
    long pilotA;
    long meetingB;
    long materialB;
    long materialD;
    long confidentialD;
    Http secretaryA;
    Http supervisorD;
    Http secretaryD;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        district = app.unit("Đảng uỷ xã Tân Lập");
        cellA = app.unitUnder(district, "Chi bộ thôn Đồng Tâm");
        cellB = app.unitUnder(district, "Chi bộ thôn Hạ");
        memberA = app.memberAs(cellA, "Lê Văn Minh", "member");
        memberB = app.memberAs(cellB, "Phạm Văn Bình", "member");
        app.localChat(cellB, "thon-ha");
        meetingA = app.meeting(cellA, "2026-12-03T19:30", List.of("P1D")).get("id").asLong();
        meetingB = app.meeting(cellB, "2026-12-03T19:30", List.of("P1D")).get("id").asLong();
        long meetingD = app.meeting(district, "2026-12-04T19:30", List.of("P1D")).get("id").asLong();
        materialB = upload(meetingB, false);
        materialD = upload(meetingD, false);
        confidentialD = upload(meetingD, true);
        pilotA = app.api.post("/api/v1/meetings", Map.of("unitId", cellA, "title", "Sinh hoạt mẫu", "kind", "pilot",
                "startsAt", "2026-12-02T19:30", "observerUnitIds", List.of(cellB))).body().get("id").asLong();
        secretaryA = app.api.as(token(cellA, "secretary"));
        supervisorD = app.api.as(token(district, "supervisor"));
        secretaryD = app.api.as(token(district, "secretary"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    long upload(long meeting, boolean confidential) {
        return app.api.uploadWith("/api/v1/meetings/" + meeting + "/materials", Map.of("confidential", String.valueOf(confidential)),
                "nghi-quyet.pdf", Samples.pdf(), "application/pdf").body().get("id").asLong();
    }

    String token(long unit, String role) {
        return app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", role)).body().get("token").asText();
    }

    record Call(String what, String method, String path, Object body) {}

    Http.Reply send(Http as, Call c) {
        return switch (c.method()) {
            case "POST" -> as.post(c.path(), c.body());
            case "PATCH" -> as.patch(c.path(), c.body());
            case "PUT" -> as.put(c.path(), c.body());
            default -> throw new IllegalArgumentException(c.method());
        };
    }

    @Test
    void every_body_field_that_names_an_object_refuses_another_cells_id() {
        List<Call> calls = new ArrayList<>(List.of(
                new Call("parentId", "POST", "/api/v1/units", Map.of("name", "Tổ mới", "parentId", cellB)),
                new Call("meeting unitId", "POST", "/api/v1/meetings", Map.of("unitId", cellB, "title", "x", "startsAt", "2026-12-05T19:30")),
                new Call("observerUnitIds on create", "POST", "/api/v1/meetings",
                        Map.of("unitId", cellA, "title", "x", "startsAt", "2026-12-05T19:30", "observerUnitIds", List.of(cellB))),
                new Call("observerUnitIds on change", "PATCH", "/api/v1/meetings/" + meetingA, Map.of("observerUnitIds", List.of(cellB))),
                new Call("series unitId", "POST", "/api/v1/series", Map.of("unitId", cellB, "title", "x", "rrule", "FREQ=MONTHLY",
                        "startDate", "2026-12-01", "startTime", "19:30")),
                new Call("responses memberId", "POST", "/api/v1/meetings/" + meetingA + "/responses", Map.of("memberId", memberB, "rsvp", "no")),
                new Call("responses memberId of a guest unit out of reach", "POST", "/api/v1/meetings/" + pilotA + "/responses",
                        Map.of("memberId", memberB, "rsvp", "no", "reason", "ốm")),
                new Call("attendance memberId", "PUT", "/api/v1/meetings/" + meetingA + "/attendance", List.of(Map.of("memberId", memberB, "status", "present"))),
                new Call("assigneeMemberId", "PUT", "/api/v1/meetings/" + meetingA + "/minutes",
                        Map.of("text", "Biên bản", "decisions", List.of(Map.of("text", "Việc", "assigneeMemberId", memberB)))),
                new Call("experience-session host unitId", "POST", "/api/v1/meetings/" + pilotA + "/experience-session",
                        Map.of("unitId", cellB, "startsAt", "2026-12-15T19:30")),
                new Call("experience-session guests", "POST", "/api/v1/meetings/" + pilotA + "/experience-session",
                        Map.of("unitId", cellA, "startsAt", "2026-12-15T19:30")),
                new Call("topics from a unit with another's material", "POST", "/api/v1/units/" + cellA + "/topics",
                        Map.of("title", "Chuyên đề", "quarter", "2026-Q4", "materials", List.of(materialB))),
                new Call("personId of another cell's member", "POST", "/api/v1/units/" + cellA + "/members", Map.of("personId", memberB)),
                new Call("chat bound to another cell", "POST", "/api/v1/units/" + cellA + "/chats", Map.of("platform", "local", "chatId", "thon-ha")),
                new Call("login-link memberId", "POST", "/api/v1/units/" + cellA + "/members/" + memberB + "/login-link", "")));

        SoftAssertions softly = new SoftAssertions();
        for (Call call : calls) {
            Http.Reply reply = send(secretaryA, call);
            softly.assertThat(reply.status()).as(call.what() + ": " + reply.text()).isIn(403, 404, 409, 422);
            softly.assertThat(reply.body().path("error").path("code").asText()).as(call.what() + " answers the contract's error").isNotEmpty();
        }
        softly.assertAll();

        assertThat(app.api.get("/api/v1/meetings/" + meetingA).body().get("observerUnitIds")).isEmpty();
        assertThat(app.api.get("/api/v1/meetings/" + pilotA + "/responses").body().toString()).doesNotContain("ốm");
        assertThat(app.api.get("/api/v1/meetings?unitId=" + cellB).body()).hasSize(1);
        assertThat(app.api.get("/api/v1/units").body()).hasSize(3);
    }

    @Test
    void observer_units_are_refused_with_403_naming_the_field() {
        Http.Reply r = secretaryA.post("/api/v1/meetings", Map.of("unitId", cellA, "title", "x", "startsAt", "2026-12-05T19:30",
                "observerUnitIds", List.of(cellB)));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().at("/error/message").asText()).startsWith("observerUnitIds");
    }

    @Test
    void a_supervisor_invites_the_units_below_as_observers() {
        Http.Reply r = supervisorD.post("/api/v1/meetings", Map.of("unitId", cellA, "title", "Sinh hoạt mẫu", "kind", "pilot",
                "startsAt", "2026-12-05T19:30", "observerUnitIds", List.of(cellB)));

        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @Test
    void a_topic_carries_only_the_committees_own_materials_and_never_a_confidential_one() {
        Http.Reply foreign = supervisorD.post("/api/v1/units/" + district + "/topics",
                Map.of("title", "Chuyên đề", "quarter", "2026-Q4", "materials", List.of(materialB)));
        Http.Reply confidential = supervisorD.post("/api/v1/units/" + district + "/topics",
                Map.of("title", "Chuyên đề", "quarter", "2026-Q4", "materials", List.of(confidentialD)));
        Http.Reply own = supervisorD.post("/api/v1/units/" + district + "/topics",
                Map.of("title", "Chuyên đề", "quarter", "2026-Q4", "materials", List.of(materialD)));

        assertThat(foreign.status()).as(foreign.text()).isEqualTo(403);
        assertThat(confidential.status()).as(confidential.text()).isEqualTo(422);
        assertThat(confidential.body().at("/error/details/0/field").asText()).isEqualTo("materials");
        assertThat(own.status()).as(own.text()).isEqualTo(201);
        JsonNode copied = app.api.get("/api/v1/meetings/" + pilotA + "/materials").body(); // the cell's next meeting
        assertThat(copied).hasSize(1);
    }

    @Test
    void a_parent_units_secretary_pushes_no_topics_into_the_cells_below() {
        Http.Reply r = secretaryD.post("/api/v1/units/" + district + "/topics", Map.of("title", "Chuyên đề", "quarter", "2026-Q4"));

        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(app.api.get("/api/v1/meetings/" + meetingA).body().get("agenda")).hasSize(2);
    }

    @Test
    void a_parent_units_secretary_reads_its_own_units_report_and_none_of_the_cells_below() {
        app.api.post("/api/v1/meetings/" + meetingA + "/responses", Map.of("memberId", memberA, "rsvp", "no", "reason", "chuyện riêng trong nhà"));
        app.clock.advance(java.time.Duration.ofDays(3));

        JsonNode asSecretary = secretaryD.get("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31").body();
        String csv = secretaryD.get("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31&format=csv").text();
        JsonNode units = secretaryD.get("/api/v1/reports/units?unitId=" + district + "&from=2026-12-01&to=2026-12-31").body();
        JsonNode asSupervisor = supervisorD.get("/api/v1/reports/attendance?unitId=" + district + "&from=2026-12-01&to=2026-12-31").body();

        assertThat(asSecretary.toString()).doesNotContain("chuyện riêng", "Lê Văn Minh", "Chi bộ thôn Đồng Tâm");
        assertThat(csv).doesNotContain("chuyện riêng", "Lê Văn Minh");
        assertThat(units.get("rows")).allSatisfy(row -> assertThat(row.get("unitId").asLong()).isEqualTo(district));
        assertThat(asSupervisor.toString()).contains("chuyện riêng", "Lê Văn Minh");
    }

    @Test
    void only_the_admin_or_a_supervisor_above_gives_the_supervisor_role() {
        Http.Reply bySecretary = secretaryA.post("/api/v1/units/" + cellA + "/members", Map.of("name", "Ngô Văn Tư", "role", "supervisor"));
        Http.Reply deputyBySecretary = secretaryA.post("/api/v1/units/" + cellA + "/members", Map.of("name", "Ngô Văn Năm", "role", "deputy"));
        Http.Reply bySupervisorAbove = supervisorD.post("/api/v1/units/" + cellA + "/members", Map.of("name", "Ngô Văn Sáu", "role", "supervisor"));
        Http.Reply inItsOwnUnit = supervisorD.post("/api/v1/units/" + district + "/members", Map.of("name", "Ngô Văn Bảy", "role", "supervisor"));
        Http.Reply byAdmin = app.api.post("/api/v1/units/" + district + "/members", Map.of("name", "Ngô Văn Tám", "role", "supervisor"));
        Http.Reply promoted = secretaryA.patch("/api/v1/units/" + cellA + "/members/" + memberA, Map.of("role", "supervisor"));
        Http.Reply csv = secretaryA.postRaw("/api/v1/units/" + cellA + "/members/import",
                "name,role,phone\nNgô Văn Chín,supervisor,0911111111\nNgô Văn Mười,member,0922222222\n", "text/csv");

        assertThat(bySecretary.status()).as(bySecretary.text()).isEqualTo(403);
        assertThat(deputyBySecretary.status()).isEqualTo(201);
        assertThat(bySupervisorAbove.status()).as(bySupervisorAbove.text()).isEqualTo(201);
        assertThat(inItsOwnUnit.status()).isEqualTo(403);
        assertThat(byAdmin.status()).isEqualTo(201);
        assertThat(promoted.status()).as(promoted.text()).isEqualTo(403);
        assertThat(csv.body().get("created").asInt()).isEqualTo(1);
        assertThat(csv.body().at("/errors/0/line").asInt()).isEqualTo(2);
        assertThat(app.api.get("/api/v1/units/" + cellA + "/members").body().toString()).doesNotContain("Ngô Văn Tư", "Ngô Văn Chín");
    }
}
