package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may see and change what on the pages: a secretary only their unit (403 on every page and form of
 * another), a supervisor also the units below, nobody without a session, and no form without its CSRF token.
 */
class PageAccessTest {
    TestConvene app;
    long unit;
    long otherUnit;
    long meeting;
    long material;
    long minh;
    WebClient owner;
    WebClient stranger;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        otherUnit = app.unit("Chi bộ thôn Đồng Tâm");
        long hung = member(unit, "Nguyễn Văn Hùng", "secretary");
        minh = member(unit, "Lê Văn Minh", "member");
        long binh = member(otherUnit, "Phạm Văn Bình", "secretary");
        app.localChat(unit, "lac-thanh");
        meeting = app.meeting(unit, "2026-12-03T19:30", List.of("P1D")).get("id").asLong();
        material = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "a.pdf", Samples.pdf(), "application/pdf").body().get("id").asLong();
        owner = signedIn(unit, hung);
        stranger = signedIn(otherUnit, binh);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    long member(long unitId, String name, String role) {
        Http.Reply r = app.api.post("/api/v1/units/" + unitId + "/members", Map.of("name", name, "role", role));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    WebClient signedIn(long unitId, long memberId) {
        JsonNode link = app.api.post("/api/v1/units/" + unitId + "/members/" + memberId + "/login-link", "").body();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(link.get("url").asText()).status()).isEqualTo(303);
        return browser;
    }

    List<String> pagesOfTheUnit() {
        return List.of("/units/" + unit, "/units/" + unit + "/meetings/new", "/units/" + unit + "/reports",
                "/units/" + unit + "/reports.csv", "/units/" + unit + "/rollup", "/units/" + unit + "/rollup.csv", "/meetings/" + meeting, "/meetings/" + meeting + "/edit",
                "/meetings/" + meeting + "/attendance", "/meetings/" + meeting + "/live.json", "/materials/" + material);
    }

    @Test
    void the_units_secretary_opens_every_page_of_it() {
        for (String path : pagesOfTheUnit()) {
            assertThat(owner.get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(owner.get("/").body()).contains("Chi bộ khu Lạc Thanh").doesNotContain("Chi bộ thôn Đồng Tâm");
    }

    @Test
    void a_secretary_of_another_unit_gets_403_on_every_page_of_this_one() {
        for (String path : pagesOfTheUnit()) {
            assertThat(stranger.get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(stranger.get("/").body()).doesNotContain("Chi bộ khu Lạc Thanh");
    }

    @Test
    void a_secretary_of_another_unit_gets_403_on_every_form_of_this_one_and_nothing_changes() {
        String csrf = stranger.get("/").csrf();
        Map<String, Map<String, String>> forms = Map.of(
                "/units/" + unit + "/import", Map.of("text", "Kẻ Lạ,member,0999999999,", "action", "confirm"),
                "/units/" + unit + "/link-codes", Map.of(),
                "/units/" + unit + "/meetings", Map.of("title", "Họp giả", "date", "2026-12-10", "time", "19:30", "duration", "120", "reminders", "standard"),
                "/meetings/" + meeting + "/edit", Map.of("title", "Đổi tên", "date", "2026-12-03", "time", "19:30", "duration", "120"),
                "/meetings/" + meeting + "/cancel", Map.of("reason", "x"),
                "/meetings/" + meeting + "/replies", Map.of("memberId", String.valueOf(minh), "rsvp", "no"),
                "/meetings/" + meeting + "/chase", Map.of(),
                "/meetings/" + meeting + "/attendance", Map.of("status_" + minh, "present"));
        for (var form : forms.entrySet()) {
            Map<String, String> fields = new java.util.HashMap<>(form.getValue());
            fields.put("csrf", csrf);
            assertThat(stranger.post(form.getKey(), fields).status()).as(form.getKey()).isEqualTo(403);
        }
        Map<String, String> series = new java.util.HashMap<>(Map.of("title", "Họp giả", "date", "2026-12-10", "time", "19:30", "duration", "120",
                "reminders", "standard", "repeat", "weekly", "holidayPolicy", "allow"));
        series.put("csrf", csrf);
        assertThat(stranger.post("/units/" + unit + "/meetings", series).status()).as("a series").isEqualTo(403);
        WebClient.Page upload = stranger.upload("/meetings/" + meeting + "/materials", Map.of("csrf", csrf), "b.pdf", Samples.pdf(), null, null);
        assertThat(upload.status()).isEqualTo(403);

        assertUnchanged();
    }

    @Test
    void a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing() {
        String good = owner.get("/meetings/" + meeting + "/attendance").csrf();
        Map<String, Map<String, String>> forms = Map.of(
                "/units/" + unit + "/import", Map.of("text", "Kẻ Lạ,member,0999999999,", "action", "confirm"),
                "/units/" + unit + "/meetings", Map.of("title", "Họp giả", "date", "2026-12-10", "time", "19:30", "duration", "120", "reminders", "standard"),
                "/meetings/" + meeting + "/edit", Map.of("title", "Đổi tên", "date", "2026-12-03", "time", "19:30", "duration", "120"),
                "/meetings/" + meeting + "/cancel", Map.of("reason", "x"),
                "/meetings/" + meeting + "/replies", Map.of("memberId", String.valueOf(minh), "rsvp", "no"),
                "/meetings/" + meeting + "/attendance", Map.of("status_" + minh, "present"));
        for (var form : forms.entrySet()) {
            assertThat(owner.post(form.getKey(), form.getValue()).status()).as(form.getKey() + " without a token").isEqualTo(403);
            Map<String, String> forged = new java.util.HashMap<>(form.getValue());
            forged.put("csrf", good.substring(1) + "x");
            assertThat(owner.post(form.getKey(), forged).status()).as(form.getKey() + " with a wrong token").isEqualTo(403);
        }
        assertThat(owner.upload("/meetings/" + meeting + "/materials", Map.of(), "b.pdf", Samples.pdf(), null, null).status()).isEqualTo(403);
        assertThat(owner.post("/logout", Map.of()).status()).isEqualTo(403);

        assertUnchanged();
        assertThat(owner.get("/").status()).as("still signed in").isEqualTo(200);
    }

    @Test
    void the_same_form_with_its_token_does_change_things() {
        app.clock.advance(java.time.Duration.ofHours(59)); // half an hour before the meeting: attendance may be taken at the door
        owner = signedIn(unit, app.api.get("/api/v1/units/" + unit + "/members").body().get(0).get("id").asLong());
        String csrf = owner.get("/meetings/" + meeting + "/attendance").csrf();

        WebClient.Page page = owner.post("/meetings/" + meeting + "/attendance", Map.of("csrf", csrf, "status_" + minh, "present"));

        assertThat(page.status()).isEqualTo(302);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/attendance").body().findValues("status").stream().map(JsonNode::asText))
                .contains("present");
    }

    @Test
    void without_a_session_pages_send_you_to_sign_in_and_forms_are_refused() {
        WebClient nobody = new WebClient("http://localhost:" + app.convene.port());

        WebClient.Page page = nobody.get("/units/" + unit);

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).isEqualTo("/login?next=%2Funits%2F" + unit);
        assertThat(nobody.get("/meetings/" + meeting + "/live.json").status()).isEqualTo(401);
        assertThat(nobody.post("/meetings/" + meeting + "/chase", Map.of("csrf", "x")).status()).isEqualTo(401);
    }

    @Test
    void a_supervisor_sees_the_units_below_but_not_beside() {
        long district = app.unit("Đảng uỷ xã Tân Lập");
        long cell = app.api.post("/api/v1/units", Map.of("name", "Chi bộ thôn Hạ", "parentId", district)).body().get("id").asLong();
        long supervisor = member(district, "Trần Văn Cấp", "supervisor");

        WebClient browser = signedIn(district, supervisor);

        assertThat(browser.get("/units/" + district).status()).isEqualTo(200);
        assertThat(browser.get("/units/" + cell).status()).isEqualTo(200);
        assertThat(browser.get("/units/" + cell + "/reports").status()).isEqualTo(200);
        assertThat(browser.get("/units/" + cell + "/rollup").status()).isEqualTo(200);
        assertThat(browser.get("/units/" + unit).status()).isEqualTo(403);
        assertThat(browser.get("/units/" + unit + "/rollup").status()).isEqualTo(403);
    }

    @Test
    void the_unit_page_is_html_with_its_main_controls() {
        WebClient.Page page = owner.get("/units/" + unit);

        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("data-testid=\"new-meeting\"", "data-testid=\"import-form\"", "data-testid=\"calendar-url\"",
                "data-testid=\"link-code-new\"", "Lê Văn Minh");
    }

    private void assertUnchanged() {
        JsonNode m = app.api.get("/api/v1/meetings/" + meeting).body();
        assertThat(m.get("title").asText()).isEqualTo("Sinh hoạt chi bộ tháng 12");
        assertThat(m.get("status").asText()).isEqualTo("scheduled");
        assertThat(app.api.get("/api/v1/meetings?unitId=" + unit).body()).hasSize(1);
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).hasSize(2);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/materials").body()).hasSize(1);
        JsonNode responses = app.api.get("/api/v1/meetings/" + meeting + "/responses").body();
        assertThat(responses.at("/summary/received").asInt()).isZero();
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/attendance").body().findValues("confirmed").stream().map(JsonNode::asBoolean))
                .containsOnly(false);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body()).isEmpty();
    }
}
