package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The roster on the phone pages: statuses and dates on the unit page, a member's own page to change or end them, the audit page. */
class RosterPagesTest {
    TestConvene app;
    long unit;
    long hung;
    long lan;
    WebClient secretary;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        hung = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
        lan = app.member(unit, "Trần Thị Lan", null);
        app.api.patch("/api/v1/units/" + unit + "/members/" + lan, Map.of("status", "exempt", "statusFrom", "2026-12-01"));
        JsonNode link = app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body();
        secretary = new WebClient("http://localhost:" + app.convene.port());
        assertThat(secretary.signIn(link.get("url").asText()).status()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void the_unit_page_shows_each_members_status_and_links_to_their_page() {
        WebClient.Page page = secretary.get("/units/" + unit);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-testid=\"member-link-" + lan + "\"", "Miễn sinh hoạt", "Chính thức", "data-testid=\"unit-audit\"");
    }

    @Test
    void ending_a_membership_on_its_page_moves_the_member_below_the_roster_and_keeps_the_reason() {
        String csrf = secretary.get("/units/" + unit + "/members/" + lan).csrf();

        WebClient.Page saved = secretary.post("/units/" + unit + "/members/" + lan, Map.of("csrf", csrf, "name", "Trần Thị Lan", "role", "member",
                "phone", "", "status", "exempt", "statusFrom", "2026-12-01", "joinedOn", "", "leftOn", "2026-12-01", "leftReason", "deceased"));

        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.body()).contains("data-testid=\"member-saved\"", "từ trần");
        JsonNode member = app.api.get("/api/v1/units/" + unit + "/members/" + lan).body();
        assertThat(member.get("leftOn").asText()).isEqualTo("2026-12-01");
        assertThat(member.get("leftReason").asText()).isEqualTo("deceased");
        assertThat(member.get("status").asText()).isEqualTo("exempt");
        String unitPage = secretary.get("/units/" + unit).body();
        assertThat(unitPage.substring(unitPage.indexOf("former-members"))).contains("Trần Thị Lan");
    }

    @Test
    void an_end_without_a_reason_is_shown_on_the_page_and_changes_nothing() {
        String csrf = secretary.get("/units/" + unit + "/members/" + lan).csrf();

        WebClient.Page refused = secretary.post("/units/" + unit + "/members/" + lan, Map.of("csrf", csrf, "name", "Trần Thị Lan", "role", "member",
                "status", "exempt", "leftOn", "2026-12-01", "leftReason", ""));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("data-testid=\"member-problem\"", "leftReason");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members/" + lan).body().get("leftOn").isNull()).isTrue();
    }

    @Test
    void a_member_with_attendance_cannot_be_deleted_from_the_page_but_one_made_by_mistake_can() {
        long typo = app.member(unit, "Trần Thị Lann", null);
        long meeting = app.meeting(unit, "2026-12-01T19:30", List.of()).get("id").asLong();
        app.clock.advance(Duration.ofHours(11)); // the meeting has begun
        app.api.put("/api/v1/meetings/" + meeting + "/attendance", List.of(Map.of("memberId", hung, "status", "present")));
        String csrf = secretary.get("/units/" + unit).csrf();

        WebClient.Page kept = secretary.post("/units/" + unit + "/members/" + hung + "/delete", Map.of("csrf", csrf));
        WebClient.Page gone = secretary.post("/units/" + unit + "/members/" + typo + "/delete", Map.of("csrf", csrf));

        assertThat(kept.status()).isEqualTo(409);
        assertThat(kept.body()).contains("data-testid=\"member-problem\"");
        assertThat(gone.status()).isEqualTo(302);
        assertThat(secretary.get(gone.location()).body()).contains("data-testid=\"member-deleted\"", "Trần Thị Lann");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).extracting(m -> m.get("id").asLong()).containsExactly(hung, lan);
    }

    @Test
    void a_party_cell_calls_its_members_dang_vien_on_its_page_and_in_its_chat() {
        assertThat(app.api.patch("/api/v1/units/" + unit, Map.of("memberWord", "comrade")).status()).isEqualTo(422);
        Http.Reply changed = app.api.patch("/api/v1/units/" + unit, Map.of("memberWord", "party"));
        assertThat(changed.body().get("memberWord").asText()).isEqualTo("party");
        app.localChat(unit, "lac-thanh");

        String page = secretary.get("/units/" + unit).body();
        app.api.post("/api/v1/local/chats/lac-thanh/say", Map.of("userId", "u-x", "userName", "X", "text", "/iam Người Lạ"));

        assertThat(page).contains("<h2 id=\"mem-h\">Đảng viên</h2>", "2 đảng viên, 0 đã liên kết");
        TestConvene.await("the bot answers", () -> app.localMessages("lac-thanh").size() == 2);
        assertThat(app.localMessages("lac-thanh").get(1).get("text").asText()).isEqualTo("Không tìm thấy đảng viên tên \"Người Lạ\" trong danh sách.");
        long youth = app.api.post("/api/v1/units", Map.of("name", "Chi đoàn", "memberWord", "youth", "locale", "en")).body().get("id").asLong();
        assertThat(app.api.get("/api/v1/units/" + youth).body().get("memberWord").asText()).isEqualTo("youth");
    }

    @Test
    void the_secretary_sets_the_word_for_the_members_on_the_unit_page_and_the_other_pages_use_it() {
        long meeting = app.meeting(unit, "2026-12-20T19:30", List.of()).get("id").asLong();
        String csrf = secretary.get("/units/" + unit).csrf();
        assertThat(secretary.get("/units/" + unit).body()).contains("data-testid=\"member-word\"", "<option value=\"member\" selected>Thành viên</option>");

        WebClient.Page saved = secretary.post("/units/" + unit + "/member-word", Map.of("csrf", csrf, "memberWord", "party"));

        assertThat(saved.body()).contains("gọi thành viên là &quot;đảng viên&quot;", "<h2 id=\"mem-h\">Đảng viên</h2>",
                "<option value=\"party\" selected>Đảng viên</option>");
        assertThat(app.api.get("/api/v1/units/" + unit).body().get("memberWord").asText()).isEqualTo("party");
        assertThat(secretary.get("/meetings/" + meeting + "/attendance").body()).contains("<span data-testid=\"attendance-word\">đảng viên</span>");
        assertThat(secretary.get("/units/" + unit + "/reports").body()).contains("Tỷ lệ đảng viên có mặt").doesNotContain("Tỷ lệ thành viên");
        assertThat(secretary.get("/meetings/" + meeting).body()).contains("<label for=\"memberId\">Đảng viên</label>");

        secretary.post("/units/" + unit + "/member-word", Map.of("csrf", csrf, "memberWord", "youth"));
        assertThat(secretary.get("/units/" + unit + "/reports").body()).contains("Tỷ lệ đoàn viên có mặt");
        assertThat(secretary.post("/units/" + unit + "/member-word", Map.of("csrf", csrf, "memberWord", "comrade")).status()).isEqualTo(422);
        assertThat(app.api.get("/api/v1/units/" + unit).body().get("memberWord").asText()).isEqualTo("youth");

        secretary.get("/lang?to=en&back=/");
        WebClient.Page english = secretary.post("/units/" + unit + "/member-word", Map.of("csrf", csrf, "memberWord", "party"));
        assertThat(english.body()).contains("<label for=\"memberWord\">The unit&#39;s members are called</label>",
                "now call the members &quot;party members&quot;", "<option value=\"youth\">Youth Union members</option>");
        assertThat(secretary.get("/units/" + unit + "/reports").body()).contains("Share of party members present");
    }

    @Test
    void a_supervisor_moves_a_unit_under_another_parent_and_merges_it_after_confirming_but_a_secretary_cannot() {
        Tree tree = reformTree();
        long province = tree.province();
        long oldDistrict = tree.district();
        long newParent = tree.commune();
        long cell = app.unitUnder(oldDistrict, "Chi bộ thôn Hạ");
        long other = app.unitUnder(newParent, "Chi bộ thôn Thượng");
        app.memberAs(cell, "Đỗ Văn Bí", "secretary");
        app.member(cell, "Phạm Thị Hoa", null);
        WebClient supervisor = signedIn(province, app.memberAs(province, "Trần Văn Cấp", "supervisor"));

        WebClient.Page page = supervisor.get("/units/" + cell);
        assertThat(page.body()).contains("data-testid=\"move-form\"", "<option value=\"" + newParent + "\">Đảng uỷ xã Tân Lập</option>",
                "data-testid=\"merge-form\"");
        WebClient.Page moved = supervisor.post("/units/" + cell + "/move", Map.of("csrf", page.csrf(), "parentId", String.valueOf(newParent),
                "from", "2026-12-01"));

        assertThat(moved.body()).contains("trực thuộc Đảng uỷ xã Tân Lập từ 2026-12-01");
        assertThat(app.api.get("/api/v1/units/" + cell).body().get("parentId").asLong()).isEqualTo(newParent);

        WebClient.Page asked = supervisor.post("/units/" + cell + "/merge", Map.of("csrf", page.csrf(), "otherId", String.valueOf(other)));
        assertThat(asked.body()).contains("data-testid=\"merge-confirm-text\">Hợp nhất Chi bộ thôn Hạ vào Chi bộ thôn Thượng?");
        assertThat(app.api.get("/api/v1/units/" + other + "/members").body()).isEmpty();
        WebClient.Page merged = supervisor.post("/units/" + cell + "/merge", Map.of("csrf", page.csrf(), "otherId", String.valueOf(other),
                "confirm", "yes"));

        assertThat(merged.status()).isEqualTo(302);
        assertThat(supervisor.get(merged.location()).body()).contains("Đã hợp nhất Chi bộ thôn Hạ vào Chi bộ thôn Thượng.");
        assertThat(app.api.get("/api/v1/units/" + other + "/members").body().findValuesAsText("name"))
                .containsExactlyInAnyOrder("Đỗ Văn Bí", "Phạm Thị Hoa");

        long another = app.unitUnder(oldDistrict, "Chi bộ thôn Giữa");
        long secretary2 = app.memberAs(another, "Lê Văn Thư", "secretary");
        WebClient secretaryOfAnother = signedIn(another, secretary2);
        WebClient.Page own = secretaryOfAnother.get("/units/" + another);
        assertThat(own.body()).doesNotContain("data-testid=\"restructure\"", "move-form", "merge-form");
        assertThat(secretaryOfAnother.post("/units/" + another + "/move", Map.of("csrf", own.csrf(), "parentId", String.valueOf(newParent)))
                .status()).isEqualTo(403);
        assertThat(secretaryOfAnother.post("/units/" + another + "/merge", Map.of("csrf", own.csrf(), "otherId", String.valueOf(other),
                "confirm", "yes")).status()).isEqualTo(403);
        assertThat(app.api.get("/api/v1/units/" + another).body().get("parentId").asLong()).isEqualTo(oldDistrict);
        assertThat(app.api.get("/api/v1/units/" + another + "/members").body().findValuesAsText("name")).containsExactly("Lê Văn Thư");
    }

    @Test
    void the_move_and_merge_choices_leave_out_merged_units_and_the_units_below_and_a_merged_unit_says_where_it_went() {
        Tree tree = reformTree();
        long province = tree.province();
        long district = tree.district();
        long commune = tree.commune();
        long ha = app.unitUnder(district, "Chi bộ thôn Hạ");
        long giua = app.unitUnder(district, "Chi bộ thôn Giữa");
        long thuong = app.unitUnder(commune, "Chi bộ thôn Thượng");
        app.member(giua, "Lê Thị Giữa", null);
        WebClient supervisor = signedIn(province, app.memberAs(province, "Trần Văn Cấp", "supervisor"));
        assertThat(app.api.post("/api/v1/units/" + giua + "/merge-into/" + ha, Map.of()).status()).isEqualTo(200);

        // the district may not merge into a cell below it (409), nor into the cell merged away
        String districtPage = supervisor.get("/units/" + district).body();
        assertThat(options(districtPage, "otherId")).containsExactlyInAnyOrder("Tỉnh uỷ Phú Thọ", "Đảng uỷ xã Tân Lập", "Chi bộ thôn Thượng");
        assertThat(options(districtPage, "parentId")).containsExactlyInAnyOrder("Đảng uỷ xã Tân Lập", "Chi bộ thôn Thượng");
        String thuongPage = supervisor.get("/units/" + thuong).body();
        assertThat(options(thuongPage, "otherId")).contains("Chi bộ thôn Hạ").doesNotContain("Chi bộ thôn Giữa", "Chi bộ thôn Thượng");
        assertThat(options(thuongPage, "parentId")).contains("Huyện uỷ Lâm Thao", "Chi bộ thôn Hạ").doesNotContain("Chi bộ thôn Giữa", "Đảng uỷ xã Tân Lập");
        assertThat(app.api.post("/api/v1/units/" + district + "/merge-into/" + ha, Map.of()).status()).isEqualTo(409);

        // opening the merged cell: where it went, in either language, with the way there
        WebClient.Page merged = supervisor.get("/units/" + giua);
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.body()).contains("data-testid=\"unit-merged\">Chi bộ thôn Giữa đã được hợp nhất vào Chi bộ thôn Hạ.",
                "href=\"/units/" + ha + "\" data-testid=\"unit-merged-link\">Mở Chi bộ thôn Hạ<").doesNotContain("move-form", "merge-form");
        supervisor.get("/lang?to=en&back=/");
        assertThat(supervisor.get("/units/" + giua).body()).contains("Chi bộ thôn Giữa has been merged into Chi bộ thôn Hạ.", ">Open Chi bộ thôn Hạ<");
        // and someone who reaches neither is still refused
        WebClient outsider = signedIn(thuong, app.memberAs(thuong, "Vũ Văn Ngoài", "secretary"));
        assertThat(outsider.get("/units/" + giua).status()).isEqualTo(403);

        // the API says the same: mergedInto for those who reach the unit it went into, 409 on a change, 403 for others
        String provinceToken = app.api.post("/api/v1/units/" + province + "/tokens", Map.of("role", "supervisor")).body().get("token").asText();
        String haToken = app.api.post("/api/v1/units/" + ha + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        String thuongToken = app.api.post("/api/v1/units/" + thuong + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        for (String token : List.of(provinceToken, haToken)) {
            Http.Reply unitView = app.api.as(token).get("/api/v1/units/" + giua);
            assertThat(unitView.status()).as(unitView.text()).isEqualTo(200);
            assertThat(unitView.body().get("mergedInto").asLong()).isEqualTo(ha);
        }
        assertThat(app.api.get("/api/v1/units/" + ha).body().has("mergedInto")).isFalse();
        assertThat(app.api.as(thuongToken).get("/api/v1/units/" + giua).status()).isEqualTo(403);
        Http.Reply renamed = app.api.patch("/api/v1/units/" + giua, Map.of("name", "Chi bộ thôn Giữa mới"));
        assertThat(renamed.status()).isEqualTo(409);
        assertThat(renamed.text()).contains("merged into unit " + ha);
    }

    /** A province with the district the 2025 reform removes and the commune committee that takes its cells. */
    record Tree(long province, long district, long commune) {}

    Tree reformTree() {
        long province = app.unit("Tỉnh uỷ Phú Thọ");
        return new Tree(province, app.unitUnder(province, "Huyện uỷ Lâm Thao"), app.unitUnder(province, "Đảng uỷ xã Tân Lập"));
    }

    /** The names a page's select offers. */
    static List<String> options(String page, String selectId) {
        int at = page.indexOf("<select id=\"" + selectId + "\"");
        if (at < 0) return List.of();
        String select = page.substring(at, page.indexOf("</select>", at));
        return java.util.regex.Pattern.compile("<option value=\"\\d+\">([^<]*)</option>").matcher(select).results().map(r -> r.group(1)).toList();
    }

    WebClient signedIn(long unitId, long memberId) {
        JsonNode link = app.api.post("/api/v1/units/" + unitId + "/members/" + memberId + "/login-link", "").body();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(link.get("url").asText()).status()).isEqualTo(303);
        return browser;
    }

    @Test
    void a_document_and_a_meeting_made_by_mistake_are_removed_from_the_editor() {
        long meeting = app.meeting(unit, "2026-12-20T19:30", List.of()).get("id").asLong();
        long material = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "nham.pdf", org.convene.support.Samples.pdf(), "application/pdf")
                .body().get("id").asLong();
        String editor = secretary.get("/meetings/" + meeting + "/edit").body();
        assertThat(editor).contains("data-testid=\"material-delete-" + material + "\"", "data-testid=\"meeting-delete\"");
        String csrf = secretary.get("/meetings/" + meeting + "/edit").csrf();

        assertThat(secretary.post("/materials/" + material + "/delete", Map.of("csrf", csrf)).status()).isEqualTo(302);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/materials").body()).isEmpty();
        WebClient.Page deleted = secretary.post("/meetings/" + meeting + "/delete", Map.of("csrf", csrf));

        assertThat(deleted.status()).isEqualTo(302);
        assertThat(secretary.get(deleted.location()).body()).contains("Đã xoá cuộc họp");
        assertThat(app.api.get("/api/v1/meetings/" + meeting).status()).isEqualTo(404);
    }

    @Test
    void the_audit_page_names_who_changed_what() {
        String csrf = secretary.get("/units/" + unit + "/members/" + lan).csrf();
        secretary.post("/units/" + unit + "/members/" + lan, Map.of("csrf", csrf, "name", "Trần Thị Lan", "role", "deputy", "status", "exempt"));

        WebClient.Page audit = secretary.get("/units/" + unit + "/audit");

        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).contains("Sửa thông tin thành viên", "Nguyễn Văn Hùng", "role member → deputy", "quản trị viên");
        WebClient stranger = new WebClient("http://localhost:" + app.convene.port());
        long other = app.unit("Chi bộ khác");
        long binh = app.memberAs(other, "Phạm Văn Bình", "secretary");
        stranger.signIn(app.api.post("/api/v1/units/" + other + "/members/" + binh + "/login-link", "").body().get("url").asText());
        assertThat(stranger.get("/units/" + unit + "/audit").status()).isEqualTo(403);
    }
}
