package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the pages do with what a secretary sends them, over HTTP without a browser (the script's parts included). */
class PagesTest {
    TestConvene app;
    long unit;
    long hung;
    long minh;
    WebClient web;
    String csrf;

    @BeforeEach
    void start() {
        app = TestConvene.start(Map.of("CONVENE_MATERIALS_MAX_BYTES", "4096"));
        unit = app.unit("Chi bộ khu Lạc Thanh");
        hung = member("Nguyễn Văn Hùng", "secretary", "u-hung");
        minh = member("Lê Văn Minh", "member", "u-minh");
        app.localChat(unit, "lac-thanh");
        signIn();
    }

    void signIn() {
        web = new WebClient("http://localhost:" + app.convene.port());
        JsonNode link = app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body();
        web.signIn(link.get("url").asText());
        csrf = web.get("/").csrf();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    long member(String name, String role, String localUserId) {
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", name, "role", role, "localUserId", localUserId));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    Map<String, String> form(String... pairs) {
        Map<String, String> f = new HashMap<>();
        f.put("csrf", csrf);
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return f;
    }

    long newMeeting() {
        WebClient.Page page = web.post("/units/" + unit + "/meetings", form("title", "Sinh hoạt chi bộ tháng 12", "kind", "regular",
                "date", "2026-12-03", "time", "19:30", "duration", "120", "location", "Nhà văn hoá", "agenda_title", "Báo cáo",
                "reminders", "short"));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return Long.parseLong(page.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
    }

    @Test
    void the_meeting_form_creates_the_meeting_with_its_agenda_in_order_and_the_chosen_reminders() {
        WebClient.Page page = web.post("/units/" + unit + "/meetings", Map.of("csrf", csrf, "title", "Sinh hoạt chuyên đề",
                "kind", "thematic", "date", "2026-12-05", "time", "08:00", "duration", "90", "location", "Hội trường",
                "reminders", "short"));
        assertThat(page.status()).isEqualTo(302);
        long id = Long.parseLong(page.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
        // repeated fields keep their order: the form's rows after moving them
        WebClient.Page edited = web.post("/meetings/" + id + "/edit", List.of("csrf", csrf, "title", "Sinh hoạt chuyên đề", "kind", "thematic",
                "date", "2026-12-05", "time", "08:00", "duration", "90", "location", "Hội trường",
                "agenda_title", "Quán triệt nghị quyết", "agenda_presenter", "Đ/c Lan", "agenda_minutes", "40",
                "agenda_title", "", "agenda_presenter", "", "agenda_minutes", "",
                "agenda_title", "Thảo luận", "agenda_presenter", "", "agenda_minutes", "", "reminders", "keep"));
        assertThat(edited.status()).as(edited.body()).isEqualTo(302);

        JsonNode meeting = app.api.get("/api/v1/meetings/" + id).body();
        assertThat(meeting.get("kind").asText()).isEqualTo("thematic");
        assertThat(meeting.get("startsAt").asText()).isEqualTo("2026-12-05T08:00:00+07:00");
        assertThat(meeting.get("durationMinutes").asInt()).isEqualTo(90);
        assertThat(meeting.get("agenda")).extracting(a -> a.get("title").asText()).containsExactly("Quán triệt nghị quyết", "Thảo luận");
        assertThat(meeting.at("/agenda/0/minutes").asInt()).isEqualTo(40);
        assertThat(meeting.get("reminders")).extracting(r -> r.get("offset").asText()).containsExactly("P1D", "PT2H");
    }

    @Test
    void a_refused_meeting_form_comes_back_as_typed_with_each_error_beside_its_field() {
        WebClient.Page page = web.post("/units/" + unit + "/meetings", form("title", " ", "kind", "regular", "date", "2026-11-20",
                "time", "19:30", "duration", "120", "location", "Nhà văn hoá thôn", "reminders", "standard"));

        assertThat(page.status()).isEqualTo(422);
        assertThat(page.body()).contains("Hãy nhập tên cuộc họp.", "Hãy chọn ngày và giờ trong tương lai.", "value=\"Nhà văn hoá thôn\"",
                "value=\"2026-11-20\"", "aria-invalid=\"true\"");
        assertThat(app.api.get("/api/v1/meetings?unitId=" + unit).body()).isEmpty();
    }

    @Test
    void a_past_meeting_stays_editable_when_its_time_is_left_alone() {
        long id = newMeeting();
        app.clock.advance(Duration.ofDays(3));
        signIn();

        WebClient.Page page = web.post("/meetings/" + id + "/edit", form("title", "Sinh hoạt chi bộ tháng 12 (đã họp)", "kind", "regular",
                "date", "2026-12-03", "time", "19:30", "duration", "120", "location", "Nhà văn hoá", "reminders", "keep"));

        assertThat(page.status()).as(page.body()).isEqualTo(302);
        assertThat(app.api.get("/api/v1/meetings/" + id).body().get("title").asText()).isEqualTo("Sinh hoạt chi bộ tháng 12 (đã họp)");
    }

    @Test
    void uploads_from_the_script_get_json_with_the_error_in_words_for_the_field() {
        long id = newMeeting();

        WebClient.Page exe = web.upload("/meetings/" + id + "/materials", Map.of(), "tai-lieu.pdf", Samples.exe(), "X-CSRF-Token", csrf);
        WebClient.Page big = web.upload("/meetings/" + id + "/materials", Map.of("csrf", csrf), "to.txt", new byte[5000], "Accept", "application/json");
        WebClient.Page pdf = web.upload("/meetings/" + id + "/materials", Map.of("csrf", csrf), "Nghị quyết.pdf", Samples.pdf(), "Accept", "application/json");

        assertThat(exe.status()).isEqualTo(415);
        assertThat(exe.body()).contains("Loại tệp này không được phép", "PDF");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body()).contains("Tệp lớn hơn giới hạn 4 KB");
        assertThat(pdf.status()).isEqualTo(201);
        assertThat(pdf.body()).contains("\"filename\":\"Nghị quyết.pdf\"", "\"url\":\"/materials/");
        assertThat(app.api.get("/api/v1/meetings/" + id + "/materials").body()).hasSize(1);
    }

    @Test
    void a_plain_upload_form_gets_the_editor_again_with_the_error_beside_the_field() {
        long id = newMeeting();

        WebClient.Page page = web.upload("/meetings/" + id + "/materials", Map.of("csrf", csrf), "tai-lieu.pdf", Samples.exe(), null, null);

        assertThat(page.status()).isEqualTo(415);
        assertThat(page.body()).contains("data-testid=\"upload-error\">Loại tệp này không được phép", "data-testid=\"meeting-form\"");
    }

    @Test
    void a_csv_import_shows_each_refused_line_with_its_number_in_the_pages_language() {
        String csv = "name,role,phone,telegramUserId\nPhạm Thị Hoa,member,0912 000 111,\n,member,,\nHoàng Văn Đức,chủ tịch,,\n";

        WebClient.Page page = web.post("/units/" + unit + "/import", form("text", csv, "action", "confirm"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<p class=\"notice\" role=\"status\" data-testid=\"import-summary\">Đã thêm 1, cập nhật 0, 2 dòng lỗi.",
                "<strong>Dòng 3</strong>: thiếu họ tên", "<strong>Dòng 4</strong>: vai trò &quot;chủ tịch&quot; không rõ");
        assertThat(page.body()).doesNotContain("is required");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).hasSize(3);
    }

    @Test
    void a_semicolon_roster_with_a_vietnamese_header_is_previewed_line_by_line_and_nothing_is_stored() {
        String csv = "STT;Họ tên;Vai trò;Điện thoại\n1;Phạm Thị Hoa;Đảng viên;0912 000 111\n2;Trần Văn Nam;Phó bí thư;\n3;;đảng viên;\n";

        WebClient.Page page = web.post("/units/" + unit + "/import", form("text", csv));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Các cột cách nhau bằng dấu chấm phẩy (;). Dòng tiêu đề: họ tên, vai trò, điện thoại. Bỏ qua cột: STT.",
                "Sẽ thêm 2, cập nhật 0; 1 dòng lỗi sẽ bị bỏ qua.", "<td data-label=\"Họ tên\">Phạm Thị Hoa</td>", "Phó bí thư",
                "thiếu họ tên", "data-testid=\"import-confirm\"");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).hasSize(2);
    }

    @Test
    void confirming_the_preview_stores_what_it_showed() {
        String csv = "Họ tên;Vai trò;Điện thoại\nPhạm Thị Hoa;bí thư;0912 000 111\nĐỗ Văn Tú;;\n";
        web.post("/units/" + unit + "/import", form("text", csv));

        WebClient.Page page = web.post("/units/" + unit + "/import", form("text", csv, "action", "confirm"));

        assertThat(page.body()).contains("<p class=\"notice ok\" role=\"status\" data-testid=\"import-summary\">Đã thêm 2, cập nhật 0, 0 dòng lỗi.");
        JsonNode members = app.api.get("/api/v1/units/" + unit + "/members").body();
        assertThat(members).extracting(m -> m.get("name").asText() + "/" + m.get("role").asText())
                .contains("Phạm Thị Hoa/secretary", "Đỗ Văn Tú/member");
    }

    @Test
    void a_header_without_a_name_column_is_a_warning_in_the_pages_language() {
        WebClient.Page page = web.post("/units/" + unit + "/import", form("text", "Điện thoại;Vai trò\n0912000111;đảng viên\n"));

        assertThat(page.body()).contains("<p class=\"notice\" role=\"alert\" data-testid=\"import-error\">Dòng tiêu đề không có cột họ tên");
    }

    @Test
    void a_csv_file_is_previewed_then_imported() {
        WebClient.Page page = web.upload("/units/" + unit + "/import", Map.of("csrf", csrf), "danh-sach.csv",
                "Phạm Thị Hoa,member,0912000111,\n".getBytes(StandardCharsets.UTF_8), null, null);

        assertThat(page.body()).contains("Sẽ thêm 1, cập nhật 0; 0 dòng lỗi sẽ bị bỏ qua.", "Không có dòng tiêu đề",
                "Phạm Thị Hoa,member,0912000111,&#10;</textarea>");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).hasSize(2);
    }

    @Test
    void a_link_code_is_shown_with_how_to_use_it() {
        WebClient.Page page = web.post("/units/" + unit + "/link-codes", form());

        assertThat(page.body()).containsPattern("data-testid=\"link-code\">/link [A-Z2-9]{8}<").contains("Dùng được đến Thứ Tư, 02/12/2026 lúc 08:00");
    }

    /** The agenda of {@link #newMeeting} goes out a day before it: 12:30 UTC on 2 December; the session is new (the old one has lapsed by then). */
    void agendaOut(long id) {
        app.advance(Duration.ofHours(36));
        await("the agenda sent", () -> app.api.get("/api/v1/meetings/" + id + "/deliveries").body().findParents("kind").stream()
                .anyMatch(d -> d.get("kind").asText().equals("agenda") && d.get("state").asText().equals("sent")));
        signIn();
    }

    @Test
    void before_the_agenda_went_out_the_chase_button_is_disabled_with_the_reason_and_the_api_answers_409() {
        long id = newMeeting();

        WebClient.Page page = web.get("/meetings/" + id);

        assertThat(page.body()).contains("data-testid=\"chase\" aria-describedby=\"chase-hint\" disabled>",
                "data-testid=\"chase-hint\">Chương trình họp chưa được gửi vào nhóm");
        Http.Reply api = app.api.post("/api/v1/meetings/" + id + "/chase", Map.of());
        assertThat(api.status()).isEqualTo(409);
        assertThat(api.body().at("/error/message").asText()).contains("agenda", "not gone out");
        assertThat(web.post("/meetings/" + id + "/chase", form()).location()).isEqualTo("/meetings/" + id + "?chase=no_agenda");
        assertThat(app.localMessages("lac-thanh")).isEmpty();
    }

    @Test
    void with_everyone_answered_the_chase_button_says_nobody_is_left_and_sends_nothing() {
        long id = newMeeting();
        agendaOut(id);
        web.post("/meetings/" + id + "/replies", form("memberId", String.valueOf(minh), "rsvp", "yes"));
        web.post("/meetings/" + id + "/replies", form("memberId", String.valueOf(hung), "rsvp", "yes"));

        WebClient.Page page = web.get("/meetings/" + id);

        assertThat(page.body()).contains("disabled>📣", "data-testid=\"chase-hint\">Mọi người đã trả lời hoặc đã nhận: không còn ai để nhắc.");
        assertThat(web.post("/meetings/" + id + "/chase", form()).location()).isEqualTo("/meetings/" + id + "?chase=nobody");
        assertThat(app.api.get("/api/v1/meetings/" + id + "/deliveries").body().findValuesAsText("kind")).doesNotContain("chase");
    }

    @Test
    void the_chase_button_tells_how_many_chats_were_told() {
        long id = newMeeting();
        agendaOut(id);

        WebClient.Page page = web.post("/meetings/" + id + "/chase", form());

        assertThat(page.location()).isEqualTo("/meetings/" + id + "?chase=sent&chats=1");
        assertThat(web.get(page.location()).body()).contains("Đã gửi lời nhắc vào 1 nhóm.");
    }

    @Test
    void cancelling_asks_to_confirm_first_and_changes_nothing_until_confirmed() {
        long id = newMeeting();

        WebClient.Page first = web.post("/meetings/" + id + "/cancel", form("reason", "Bão số 9"));
        WebClient.Page asked = web.get(first.location());

        assertThat(first.location()).startsWith("/meetings/" + id + "/edit?confirmCancel=1");
        assertThat(asked.body()).contains("data-testid=\"cancel-confirm-question\">Huỷ cuộc họp &quot;Sinh hoạt chi bộ tháng 12&quot;",
                "name=\"reason\" value=\"Bão số 9\"", "data-testid=\"meeting-cancel-confirm\"");
        assertThat(app.api.get("/api/v1/meetings/" + id).body().get("status").asText()).isEqualTo("scheduled");

        web.post("/meetings/" + id + "/cancel", form("reason", "Bão số 9", "confirm", "yes"));

        JsonNode meeting = app.api.get("/api/v1/meetings/" + id).body();
        assertThat(meeting.get("status").asText()).isEqualTo("cancelled");
        assertThat(meeting.get("cancelReason").asText()).isEqualTo("Bão số 9");
    }

    @Test
    void a_cancelled_meetings_editor_is_read_only_and_reinstating_plans_its_reminders_again() {
        long id = newMeeting();
        web.post("/meetings/" + id + "/cancel", form("confirm", "yes"));

        WebClient.Page editor = web.get("/meetings/" + id + "/edit");

        assertThat(editor.body()).contains("disabled data-testid=\"meeting-form-read-only\"", "data-testid=\"meeting-reinstate\"")
                .doesNotContain("data-testid=\"meeting-save\"", "data-testid=\"upload-form\"", "data-testid=\"meeting-cancel\"");
        assertThat(app.api.get("/api/v1/meetings/" + id).body().get("reminders").findValuesAsText("state")).containsOnly("cancelled");

        WebClient.Page back = web.post("/meetings/" + id + "/reinstate", form());

        assertThat(back.location()).isEqualTo("/meetings/" + id + "/edit?saved=reinstated");
        assertThat(web.get(back.location()).body()).contains("data-testid=\"reinstated\">Đã khôi phục cuộc họp.", "data-testid=\"meeting-save\"");
        JsonNode meeting = app.api.get("/api/v1/meetings/" + id).body();
        assertThat(meeting.get("status").asText()).isEqualTo("scheduled");
        assertThat(meeting.get("reminders").findValuesAsText("state")).contains("pending");
        assertThat(app.api.post("/api/v1/meetings/" + id + "/reinstate", Map.of()).status()).as("not cancelled any more").isEqualTo(409);
    }

    @Test
    void a_reply_taken_by_phone_lands_with_its_reason() {
        long id = newMeeting();

        WebClient.Page page = web.post("/meetings/" + id + "/replies", form("memberId", String.valueOf(minh), "rsvp", "no",
                "reasonCode", "sick", "reason", "Sốt cao"));

        assertThat(page.status()).isEqualTo(302);
        JsonNode row = app.api.get("/api/v1/meetings/" + id + "/responses").body().get("members").findParents("memberId").stream()
                .filter(r -> r.get("memberId").asLong() == minh).findFirst().orElseThrow();
        assertThat(row.get("rsvp").asText()).isEqualTo("no");
        assertThat(row.get("reasonCode").asText()).isEqualTo("sick");
        assertThat(row.get("source").asText()).isEqualTo("secretary");
    }

    @Test
    void live_json_carries_the_tally_and_each_members_line_in_the_viewers_language() {
        long id = newMeeting();
        web.post("/meetings/" + id + "/replies", form("memberId", String.valueOf(minh), "rsvp", "yes"));

        WebClient.Page page = web.get("/meetings/" + id + "/live.json");

        JsonNode live = readJson(page.body());
        assertThat(live.at("/summary/yes").asInt()).isEqualTo(1);
        assertThat(live.get("members")).extracting(m -> m.get("rsvp").asText()).contains("🙋 Sẽ dự", "Chưa trả lời");
    }

    @Test
    void a_failed_delivery_shows_on_home_and_in_the_live_view_with_the_platforms_words() {
        long id = newMeeting();
        agendaOut(id);
        web.post("/meetings/" + id + "/chase", form());
        await("the chase sent", () -> app.api.get("/api/v1/meetings/" + id + "/deliveries").body().findValuesAsText("state").contains("sent"));
        // what the dispatcher stores when a platform refuses for good
        app.convene.services().database().jdbi().useHandle(h -> h.execute(
                "UPDATE deliveries SET state = 'failed', last_error = 'Forbidden: bot was kicked from the group chat' WHERE meeting_id = ?", id));

        assertThat(web.get("/").body()).contains("Không gửi được tới nhóm Chat lac-thanh", "Forbidden: bot was kicked from the group chat");
        assertThat(web.get("/meetings/" + id).body()).contains("data-testid=\"delivery-error\">Forbidden: bot was kicked from the group chat");
    }

    @Test
    void English_is_one_tap_away_and_stays_chosen() {
        WebClient.Page page = web.get("/lang?to=en&back=%2Funits%2F" + unit);

        assertThat(page.location()).isEqualTo("/units/" + unit);
        assertThat(page.setCookie("convene_lang")).contains("convene_lang=en", "SameSite=Lax");
        assertThat(web.get("/units/" + unit).body()).contains("<html lang=\"en\">", "Members", "Make a link code");
        assertThat(web.get("/lang?to=vi&back=//elsewhere.example/").location()).isEqualTo("/");
    }

    @Test
    void the_report_csv_downloads_for_spreadsheets() {
        WebClient.Page csv = web.get("/units/" + unit + "/reports.csv?view=units");

        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).contains("unitId,unit,parentId,period", "Chi bộ khu Lạc Thanh,,2026-12");
    }

    private static JsonNode readJson(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
