package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's roll-up page over HTTP, on a tree province → two districts → two cells with a month of
 * meetings recorded afterwards: the numbers at each level, the order that puts trouble first, the links
 * that lead down to the cells, the CSV, and who may open which level.
 */
class RollupPageTest {
    static final Pattern ROW = Pattern.compile("<tr data-testid=\"rollup-row-(\\w+)-(\\d+)\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
    static final Pattern CELL = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL);

    TestConvene app;
    long province;
    long vanYen;
    long lucYen;
    long dongTam;
    long ha;
    long dongTamSecretary;
    long provinceSupervisor;
    final Map<Long, List<Long>> members = new HashMap<>();

    @BeforeEach
    void start() {
        app = TestConvene.start();
        province = app.unit("Tỉnh uỷ Yên Bái");
        vanYen = app.unitUnder(province, "Huyện uỷ Văn Yên");
        lucYen = app.unitUnder(province, "Huyện uỷ Lục Yên");
        dongTam = app.unitUnder(vanYen, "Chi bộ thôn Đồng Tâm");
        ha = app.unitUnder(vanYen, "Chi bộ thôn Hạ");
        provinceSupervisor = member(province, "Hà Thị Giám", "supervisor");
        dongTamSecretary = member(dongTam, "Nguyễn Văn Hùng", "secretary");
        member(dongTam, "Lê Văn Minh", "member");
        member(dongTam, "Phạm Thị Hoa", "member");
        for (String name : List.of("Trần Văn An", "Vũ Thị Bình", "Đỗ Văn Cường")) member(ha, name, "member");
        member(vanYen, "Trần Văn Cấp", "supervisor");
        member(vanYen, "Lý Thị Dung", "deputy");

        // ten days on, the month's meetings are recorded afterwards, with their attendance
        app.clock.advance(Duration.ofDays(10));
        attendance(recorded(dongTam, "2026-12-05T19:30", "regular"), "present", "present", "excused");
        attendance(recorded(ha, "2026-12-06T19:30", "regular"), "present", "present", "present");
        long thematic = recorded(ha, "2026-12-08T19:30", "thematic");
        attendance(thematic, "present", "present", "present");
        assertThat(app.api.post("/api/v1/meetings/" + thematic + "/products", Map.of("kind", "article", "title", "Bài viết về nghị quyết")).status())
                .isEqualTo(201);
        attendance(recorded(vanYen, "2026-12-09T08:00", "regular"), "present", "absent");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    long member(long unit, String name, String role) {
        long id = app.memberAs(unit, name, role);
        members.computeIfAbsent(unit, k -> new ArrayList<>()).add(id);
        return id;
    }

    long recorded(long unit, String startsAt, String kind) {
        Map<String, Object> body = new HashMap<>(Map.of("unitId", unit, "title", "Sinh hoạt tháng 12", "startsAt", startsAt, "recorded", true,
                "kind", kind));
        if (kind.equals("thematic")) body.put("theme", "Học tập nghị quyết");
        Http.Reply r = app.api.post("/api/v1/meetings", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    void attendance(long meeting, String... statuses) {
        long unit = app.api.get("/api/v1/meetings/" + meeting).body().get("unitId").asLong();
        List<Map<String, Object>> body = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) body.add(Map.of("memberId", members.get(unit).get(i), "status", statuses[i]));
        assertThat(app.api.put("/api/v1/meetings/" + meeting + "/attendance", body).status()).isEqualTo(200);
    }

    WebClient signedIn(long unit, long member) {
        WebClient web = new WebClient("http://localhost:" + app.convene.port());
        JsonNode link = app.api.post("/api/v1/units/" + unit + "/members/" + member + "/login-link", "").body();
        assertThat(web.signIn(link.get("url").asText()).status()).isEqualTo(303);
        return web;
    }

    /** The table's rows as "kind unitId | cell | cell …", tags stripped, in the page's order. */
    static List<String> rows(String html) {
        List<String> out = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(3));
            while (cell.find()) cells.add(cell.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip());
            out.add(row.group(1) + " " + row.group(2) + " | " + String.join(" | ", cells));
        }
        return out;
    }

    /** The page's text as a browser reads its attributes: Mustache writes "=" in a link as "&#61;". */
    static String read(WebClient.Page page) {
        return page.body().replace("&#61;", "=").replace("&amp;", "&");
    }

    static String link(String html, long unit) {
        Matcher m = Pattern.compile("<a href=\"([^\"]+)\" data-testid=\"rollup-link-" + unit + "\">").matcher(html);
        assertThat(m.find()).as("a link down to unit " + unit).isTrue();
        return m.group(1);
    }

    @Test
    void the_links_lead_from_the_province_to_a_district_to_a_cell_with_the_right_numbers() {
        WebClient web = signedIn(province, provinceSupervisor);
        // the unit page leads to the roll-up; columns: unit, meetings, thematic, invited, present, excused, absent, rate, rate
        // without the excused, status, products, topics covered
        assertThat(read(web.get("/units/" + province))).contains("href=\"/units/" + province + "/rollup\" data-testid=\"unit-rollup\"");
        WebClient.Page top = web.get("/units/" + province + "/rollup?period=2026-12");

        assertThat(top.status()).isEqualTo(200);
        assertThat(read(top)).contains("Tổng hợp theo đơn vị", "Tháng 12/2026");
        // 4 meetings, 11 invited: 9 present, 1 excused, 1 absent; the district below the target first, the one that did not meet next
        assertThat(rows(read(top))).containsExactly(
                "total " + province + " | Tỉnh uỷ Yên Bái tổng | 4 | 1 | 11 | 9 | 1 | 1 | 82% | 90% | dưới chỉ tiêu | 1 | 0",
                "child " + vanYen + " | Huyện uỷ Văn Yên | 4 | 1 | 11 | 9 | 1 | 1 | 82% | 90% | dưới chỉ tiêu | 1 | 0",
                "child " + lucYen + " | Huyện uỷ Lục Yên | 0 | 0 | 0 | 0 | 0 | 0 | – | – | không họp | 0 | 0");

        WebClient.Page district = web.get(link(read(top), vanYen));
        assertThat(district.status()).isEqualTo(200);
        assertThat(read(district)).contains("<a href=\"/units/" + province + "/rollup?period=2026-12\">Tỉnh uỷ Yên Bái</a>");
        // the district's own committee meeting makes the rows add up to its total
        assertThat(rows(read(district))).containsExactly(
                "total " + vanYen + " | Huyện uỷ Văn Yên tổng | 4 | 1 | 11 | 9 | 1 | 1 | 82% | 90% | dưới chỉ tiêu | 1 | 0",
                "child " + dongTam + " | Chi bộ thôn Đồng Tâm | 1 | 0 | 3 | 2 | 1 | 0 | 67% | 100% | dưới chỉ tiêu | 0 | 0",
                "child " + ha + " | Chi bộ thôn Hạ | 2 | 1 | 6 | 6 | 0 | 0 | 100% | 100% | đạt | 1 | 0",
                "own " + vanYen + " | Họp của chính Huyện uỷ Văn Yên | 1 | 0 | 2 | 1 | 0 | 1 | 50% | 50% | dưới chỉ tiêu | 0 | 0");

        WebClient.Page cell = web.get(link(read(district), dongTam));
        assertThat(cell.status()).isEqualTo(200);
        assertThat(rows(read(cell))).containsExactly(
                "total " + dongTam + " | Chi bộ thôn Đồng Tâm tổng | 1 | 0 | 3 | 2 | 1 | 0 | 67% | 100% | dưới chỉ tiêu | 0 | 0");
        assertThat(read(cell)).contains("Đơn vị này không có đơn vị cấp dưới.", "Cuộc họp của Chi bộ thôn Đồng Tâm trong kỳ", "Có mặt 2/3",
                "<a href=\"/units/" + vanYen + "/rollup?period=2026-12\">Huyện uỷ Văn Yên</a>");
    }

    @Test
    void a_quarter_sums_its_months_and_the_csv_is_the_apis() {
        WebClient web = signedIn(province, provinceSupervisor);

        WebClient.Page quarter = web.get("/units/" + province + "/rollup?period=2026-Q4");
        WebClient.Page csv = web.get("/units/" + province + "/rollup.csv?period=2026-12");

        assertThat(read(quarter)).contains("Quý IV/2026", "<option value=\"2026-Q4\" selected>");
        assertThat(rows(read(quarter)).get(0)).isEqualTo("total " + province + " | Tỉnh uỷ Yên Bái tổng | 4 | 1 | 11 | 9 | 1 | 1 | 82% | 90% | dưới chỉ tiêu | 1 | 0");
        assertThat(csv.contentType()).startsWith("text/csv");
        // the same bytes as the API's (the client reading the page drops the byte-order mark)
        assertThat("\uFEFF" + csv.body()).isEqualTo(new String(app.api.getBytes("/api/v1/reports/units?unitId=" + province
                + "&from=2026-12-01&to=2026-12-31&format=csv"), StandardCharsets.UTF_8));
        assertThat(csv.body()).contains(dongTam + ",Chi bộ thôn Đồng Tâm," + vanYen + ",2026-12,1,0,3,2,1,0,0.6667,1.0,true,false,0,0");
        assertThat(read(web.get("/units/" + province + "/rollup"))).as("this month by default").contains("<option value=\"2026-12\" selected>");
    }

    @Test
    void a_cell_secretary_gets_403_on_the_districts_roll_up_and_a_siblings_but_opens_their_own() {
        WebClient secretary = signedIn(dongTam, dongTamSecretary);

        for (String path : List.of("/units/" + vanYen + "/rollup", "/units/" + vanYen + "/rollup.csv", "/units/" + province + "/rollup?period=2026-12",
                "/units/" + ha + "/rollup")) {
            assertThat(secretary.get(path).status()).as(path).isEqualTo(403);
        }
        WebClient.Page own = secretary.get("/units/" + dongTam + "/rollup?period=2026-12");
        assertThat(own.status()).isEqualTo(200);
        assertThat(read(own)).as("no way up the tree from the cell").doesNotContain("/units/" + vanYen + "/rollup");
        assertThat(secretary.get("/units/" + dongTam).body()).as("a cell has no roll-up link").doesNotContain("data-testid=\"unit-rollup\"");
    }

    @Test
    void the_report_page_leads_to_the_roll_up_when_there_are_units_below() {
        WebClient web = signedIn(province, provinceSupervisor);

        assertThat(read(web.get("/units/" + vanYen + "/reports"))).contains("href=\"/units/" + vanYen + "/rollup?period=2026-12\"");
        assertThat(web.get("/units/" + dongTam + "/reports").body()).doesNotContain("data-testid=\"report-rollup\"");
        web.get("/lang?to=en&back=/");
        WebClient.Page english = web.get("/units/" + province + "/rollup?period=2026-Q4");
        assertThat(read(english)).contains("Roll-up by unit", "Q4 2026", "below target", "no meeting");
    }
}
