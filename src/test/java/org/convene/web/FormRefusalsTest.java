package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each form of the secretary's and the supervisor's pages that a service can refuse, over HTTP: the page
 * says why in its own language, Vietnamese and then English, and a Vietnamese page never shows the
 * service's English words (which the API keeps).
 */
class FormRefusalsTest {
    TestConvene app;
    long district;
    long cell;
    long hung;
    long minh;
    WebClient secretary;
    WebClient supervisor;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        district = app.unit("Đảng uỷ phường Lạc Thanh");
        cell = app.unitUnder(district, "Chi bộ khu Lạc Thanh");
        hung = app.memberAs(cell, "Nguyễn Văn Hùng", "secretary");
        minh = app.member(cell, "Lê Văn Minh", "u-minh");
        app.localChat(cell, "lac-thanh");
        secretary = signedIn(cell, hung);
        supervisor = signedIn(district, app.memberAs(district, "Trần Văn Cấp", "supervisor"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    WebClient signedIn(long unitId, long memberId) {
        JsonNode link = app.api.post("/api/v1/units/" + unitId + "/members/" + memberId + "/login-link", "").body();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(link.get("url").asText()).status()).isEqualTo(303);
        return browser;
    }

    /** Texts as Mustache writes them into the page. */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;")
                .replace("=", "&#61;").replace("`", "&#96;");
    }

    /** A page text as the page carries it. */
    static String text(String lang, String key) {
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(I18nKeysTest.PAGES.resolve("i18n").resolve(lang + ".properties"))) {
            java.util.Properties p = new java.util.Properties();
            p.load(r);
            assertThat(p.getProperty(key)).as(lang + " " + key).isNotNull();
            return html(p.getProperty(key));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Posts the form once in each language and checks the status, the page's text for each key in that
     * language, and that the Vietnamese page does not carry {@code serviceWords}.
     */
    void refused(WebClient who, String path, int status, List<String> keys, String serviceWords, String... pairs) {
        refused(who, path, true, status, keys, serviceWords, pairs);
    }

    /** {@link #refused} for a form sent with GET (the address carries it). */
    void refusedOnGet(WebClient who, String path, int status, List<String> keys, String serviceWords) {
        refused(who, path, false, status, keys, serviceWords);
    }

    private void refused(WebClient who, String path, boolean post, int status, List<String> keys, String serviceWords, String... pairs) {
        for (String lang : List.of("vi", "en")) {
            who.get("/lang?to=" + lang + "&back=/");
            Map<String, String> form = new HashMap<>();
            form.put("csrf", who.get("/").csrf());
            for (int i = 0; i < pairs.length; i += 2) form.put(pairs[i], pairs[i + 1]);
            WebClient.Page page = post ? who.post(path, form) : who.get(path);

            assertThat(page.status()).as(lang + " " + path + ": " + page.body()).isEqualTo(status);
            assertThat(page.body()).as(lang + " " + path).contains("<html lang=\"" + lang + "\"");
            for (String key : keys) assertThat(page.body()).as(lang + " " + path + " says " + key).contains(text(lang, key));
            if (lang.equals("vi")) assertThat(page.body()).as("vi " + path + " without the service's English").doesNotContain(html(serviceWords));
        }
    }

    long newMeeting() {
        Map<String, String> form = new HashMap<>(Map.of("csrf", secretary.get("/").csrf(), "title", "Sinh hoạt chi bộ tháng 12", "kind", "regular",
                "date", "2026-12-03", "time", "19:30", "duration", "120", "location", "Nhà văn hoá", "agenda_title", "Báo cáo", "reminders", "short"));
        WebClient.Page page = secretary.post("/units/" + cell + "/meetings", form);
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return Long.parseLong(page.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
    }

    void answeredByPhone(long meeting, long member) {
        WebClient.Page page = secretary.post("/meetings/" + meeting + "/replies", Map.of("csrf", secretary.get("/").csrf(),
                "memberId", String.valueOf(member), "rsvp", "yes"));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
    }

    @Test
    void the_unit_pages_forms_say_what_is_wrong_in_the_pages_language() {
        refused(secretary, "/units/" + cell + "/member-word", 422, List.of("problem_memberWord"), "must be one of party", "memberWord", "comrade");
        refused(secretary, "/units/" + cell + "/chats/999/release", 404, List.of("error_404"), "chat 999 does not exist", "confirm", "yes");
        refused(secretary, "/units/" + cell + "/members/" + minh + "/accounts/zalo/unlink", 404, List.of("error_404"), "does not exist");
        refusedOnGet(secretary, "/units/" + cell + "/audit?from=01/11/2026", 422, List.of("problem_from"), "is not a date");
        refusedOnGet(secretary, "/units/" + cell + "/audit?from=2026-11-30&to=2026-11-01", 422, List.of("problem_to"), "must not be before from");
    }

    @Test
    void a_stale_form_is_refused_in_the_pages_language() {
        for (String lang : List.of("vi", "en")) {
            secretary.get("/lang?to=" + lang + "&back=/");
            WebClient.Page page = secretary.post("/units/" + cell + "/member-word", Map.of("csrf", "stale", "memberWord", "party"));

            assertThat(page.status()).isEqualTo(403);
            assertThat(page.body()).contains(text(lang, "error_403"), text(lang, "error_403_text"));
            if (lang.equals("vi")) assertThat(page.body()).doesNotContain("security token");
            else assertThat(page.body()).contains("the form&#39;s security token is missing or stale");
        }
    }

    @Test
    void the_member_page_says_what_is_wrong_with_each_field_in_the_pages_language() {
        String member = "/units/" + cell + "/members/" + minh;
        refused(secretary, member, 422, List.of("problem_name", "problem_phone"), "is required", "name", " ", "role", "member", "phone", "abc");
        refused(secretary, member, 422, List.of("problem_leftReason"), "is required with leftOn", "name", "Lê Văn Minh", "role", "member",
                "leftOn", "2026-11-30");
        refused(secretary, member, 422, List.of("problem_joinedOn"), "is not a date", "name", "Lê Văn Minh", "role", "member", "joinedOn", "1/2/2020");
        // giving the supervisor role is for the admin or a unit above: the page says so, not "role: only the admin…"
        refused(secretary, member, 403, List.of("problem_role_not_allowed"), "gives or changes the supervisor role", "name", "Lê Văn Minh",
                "role", "supervisor");

        answeredByPhone(newMeeting(), minh);
        refused(secretary, member + "/delete", 409, List.of("problem_member_delete_used"), "end the membership instead");
        assertThat(app.api.get("/api/v1/units/" + cell + "/members").body()).hasSize(2);
    }

    @Test
    void the_meeting_editor_says_why_deleting_cancelling_or_reinstating_is_refused_in_the_pages_language() {
        long answered = newMeeting();
        answeredByPhone(answered, minh);
        refused(secretary, "/meetings/" + answered + "/delete", 409, List.of("problem_meeting_delete_answered"), "cancel it instead");
        refused(secretary, "/meetings/" + answered + "/cancel", 422, List.of("problem_reason"), "is longer than 500 characters",
                "confirm", "yes", "reason", "x".repeat(501));
        refused(secretary, "/meetings/" + answered + "/reinstate", 409, List.of("problem_meeting_not_cancelled"), "is not cancelled");
        refused(secretary, "/meetings/" + answered + "/replies", 422, List.of("phone_error"), "memberId: ", "memberId", "Minh", "rsvp", "yes");

        WebClient.Page cancelled = secretary.post("/meetings/" + answered + "/cancel", Map.of("csrf", secretary.get("/").csrf(), "confirm", "yes"));
        assertThat(cancelled.status()).isEqualTo(302);
        refused(secretary, "/meetings/" + answered + "/cancel", 409, List.of("problem_meeting_cancelled"), "is already cancelled", "confirm", "yes");
        refused(secretary, "/meetings/" + answered + "/edit", 409, List.of("problem_meeting_cancelled"), "is cancelled", "title", "Họp lại",
                "kind", "regular", "date", "2026-12-03", "time", "19:30", "duration", "120", "reminders", "keep");
    }

    @Test
    void attendance_and_documents_refused_before_or_after_the_meeting_say_why_in_the_pages_language() {
        long meeting = newMeeting();
        long begun = newMeeting();
        WebClient.Page uploaded = secretary.upload("/meetings/" + meeting + "/materials", Map.of("csrf", secretary.get("/").csrf()),
                "nghi-quyet.pdf", Samples.pdf(), null, null);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(302);
        refused(secretary, "/meetings/" + meeting + "/attendance", 409, List.of("problem_attendance_not_open"), "can be recorded from one hour before",
                "status_" + minh, "present");
        assertThat(secretary.post("/meetings/" + begun + "/cancel", Map.of("csrf", secretary.get("/").csrf(), "confirm", "yes")).status()).isEqualTo(302);

        // a day and a half on, the agenda has gone to the group with the document
        app.advance(Duration.ofHours(36));
        TestConvene.await("the agenda with its document reached the group", () -> app.localMessages("lac-thanh").size() >= 2);
        secretary = signedIn(cell, hung);
        long material = app.api.get("/api/v1/meetings/" + meeting + "/materials").body().get(0).get("id").asLong();
        refused(secretary, "/materials/" + material + "/delete", 409, List.of("problem_material_delete_posted"), "has been posted with the agenda");

        // the meetings' time has come
        app.advance(Duration.ofDays(2));
        secretary = signedIn(cell, hung);
        refused(secretary, "/meetings/" + meeting + "/attendance", 422, List.of("problem_row_status"), "must be present, excused or absent",
                "status_" + minh, "maybe");
        refused(secretary, "/meetings/" + begun + "/reinstate", 409, List.of("problem_meeting_begun_stays_cancelled"), "it stays cancelled");
    }

    @Test
    void the_supervisors_move_and_merge_forms_say_what_is_wrong_in_the_pages_language() {
        String move = "/units/" + cell + "/move";
        refused(supervisor, move, 422, List.of("problem_parentId"), "is not a unit id", "parentId", "Lạc Thanh");
        refused(supervisor, move, 422, List.of("problem_parentFrom"), "is not a date", "parentId", String.valueOf(district), "from", "01/12/2026");
        refused(supervisor, "/units/" + district + "/move", 409, List.of("problem_unit_move_under_itself"), "cannot move under itself",
                "parentId", String.valueOf(cell));
        String merge = "/units/" + cell + "/merge";
        refused(supervisor, merge, 422, List.of("problem_otherId"), "is not a unit id", "otherId", "", "confirm", "yes");
        refused(supervisor, merge, 409, List.of("problem_unit_merge_itself"), "cannot be merged into itself", "otherId", String.valueOf(cell),
                "confirm", "yes");
        refused(supervisor, "/units/" + district + "/merge", 409, List.of("problem_unit_merge_below"), "is below unit",
                "otherId", String.valueOf(cell), "confirm", "yes");
        assertThat(app.api.get("/api/v1/units/" + cell).body().get("parentId").asLong()).isEqualTo(district);
    }
}
