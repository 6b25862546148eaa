package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The secretary's evening in a real browser (Debian's headless Chromium), at a phone's width, against the
 * whole service: sign in by link and its button → schedule on a suggested slot → attach a PDF → a member's tap in the
 * local chat shows in the live view → confirm attendance → the report shows the rate. Every page is
 * photographed at phone and desktop width into target/screenshots/.
 */
class BrowserFlowTest {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SHOTS = Path.of("target", "screenshots");
    static final Map<String, Object> PHONE = Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true);
    static final Map<String, Object> DESKTOP = Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false);

    static TestConvene app;
    static ChromeDriver driver;
    static Path profile;
    static long unit;
    static long hung;
    static final Map<String, Long> people = new HashMap<>();
    static final Map<Long, List<Long>> cellMembers = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: /usr/bin/chromedriver is missing (apt-get install chromium chromium-driver)");
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        hung = member("Nguyễn Văn Hùng", "secretary", "u-hung");
        for (String[] p : List.of(new String[] {"Trần Thị Lan", "u-lan"}, new String[] {"Lê Văn Minh", "u-minh"},
                new String[] {"Phạm Thị Hoa", "u-hoa"}, new String[] {"Hoàng Văn Đức", "u-duc"}, new String[] {"Vũ Thị Mai", null})) {
            people.put(p[1] == null ? "mai" : p[1], member(p[0], "member", p[1]));
        }
        app.localChat(unit, "lac-thanh");

        profile = Files.createTempDirectory("convene-chromium-");
        Files.createDirectories(SHOTS);
        // Debian's driver and browser, named outright, so Selenium Manager has nothing to look up or download
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=vi", "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        phone();
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) driver.quit();
        if (app != null) app.close();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static long member(String name, String role, String localUserId) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "role", role));
        if (localUserId != null) body.put("localUserId", localUserId);
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    @Test
    void a_secretary_schedules_attaches_watches_replies_confirms_and_reads_the_rate_on_a_phone() throws IOException {
        // sign in by the link the bot (here: the API) gives: a browser opening it is a person, signed in at once
        driver.get(link());
        waitFor("the home page", () -> driver.getCurrentUrl().equals(base() + "/"));
        assertThat(text("viewer-name")).isEqualTo("Nguyễn Văn Hùng");
        shoot("01-home");

        click("unit-link-" + unit);
        assertThat(text("unit-name")).isEqualTo("Chi bộ khu Lạc Thanh");
        shoot("02-unit");

        // a new meeting on the first suggested free slot: tonight, 19:00 (it is 08:00 on Tuesday 1 December)
        click("new-meeting");
        WebElement slot = byTestId("slot-0");
        assertThat(slot.getText()).startsWith("Thứ Ba 01/12 · 19:00");
        type("meeting-title", "Sinh hoạt chi bộ tháng 12");
        type("meeting-location", "Nhà văn hoá khu Lạc Thanh");
        slot.click();
        assertThat(byTestId("meeting-date").getDomProperty("value")).isEqualTo("2026-12-01");
        assertThat(byTestId("meeting-time").getDomProperty("value")).isEqualTo("19:00");
        List<WebElement> titles = driver.findElements(By.cssSelector("[data-testid=agenda-title]"));
        titles.get(0).sendKeys("Phân công nhiệm vụ tháng tới");
        click("agenda-add");
        driver.findElements(By.cssSelector("[data-testid=agenda-title]")).get(1).sendKeys("Báo cáo tình hình tháng 11");
        // the report belongs first: move it up
        driver.findElements(By.cssSelector(".agenda-item [data-move=up]")).get(1).click();
        shoot("03-editor-new");
        shootForReadme("editor");
        // the repeat choice shows only the fields it needs; this meeting stays a one-off
        assertThat(byTestId("repeat-rrule").isDisplayed()).isFalse();
        assertThat(text("repeat")).contains("Hằng tháng, cùng thứ trong tháng (Thứ Ba đầu tiên)");
        click("repeat-custom");
        assertThat(byTestId("repeat-rrule").isDisplayed()).isTrue();
        assertThat(byTestId("repeat-until").isDisplayed()).isTrue();
        shoot("03b-editor-repeat");
        click("repeat-none");
        assertThat(byTestId("repeat-until").isDisplayed()).isFalse();
        click("meeting-save");
        assertThat(byTestId("saved").isDisplayed()).isTrue();
        JsonNode meeting = app.api.get("/api/v1/meetings?unitId=" + unit).body().get(0);
        long meetingId = meeting.get("id").asLong();
        assertThat(meeting.get("startsAt").asText()).isEqualTo("2026-12-01T19:00:00+07:00");
        assertThat(meeting.get("agenda")).extracting(a -> a.get("title").asText())
                .containsExactly("Báo cáo tình hình tháng 11", "Phân công nhiệm vụ tháng tới");

        // an executable named .pdf is refused beside the field; the real PDF uploads with progress
        byTestId("material-file").sendKeys(file("tai-lieu.pdf", Samples.exe()).toString());
        click("material-upload");
        waitFor("the type error", () -> text("upload-error").contains("không được phép"));
        byTestId("material-file").sendKeys(file("Nghị quyết.pdf", Samples.pdf()).toString());
        click("material-upload");
        waitFor("the PDF in the list", () -> driver.findElements(By.cssSelector("[data-testid=material]")).size() == 1);
        assertThat(text("material-list")).contains("Nghị quyết.pdf");
        assertThat(text("upload-error")).isEmpty();
        shoot("04-editor-materials");

        // the agenda (due at once: it is less than 3 days away) reaches the local chat with the PDF
        app.advance(Duration.ofSeconds(1));
        await("agenda and document in the chat", () -> app.localMessages("lac-thanh").size() == 2);

        click("tab-live");
        assertThat(text("tally-received")).isEqualTo("0");
        JsonNode agenda = app.localMessages("lac-thanh").get(0);
        press(agenda, 0, "u-lan", "Lan");
        press(agenda, 1, "u-minh", "Minh");
        // no reload: the page polls live.json
        waitFor("the taps in the live view", () -> text("tally-received").equals("2") && text("tally-yes").equals("1"));
        assertThat(text("ledger-received-" + people.get("u-lan"))).isNotEmpty();
        assertThat(text("ledger-rsvp-" + people.get("u-minh"))).contains("Sẽ dự");

        // Đức phoned: he cannot come, he is at work
        new org.openqa.selenium.support.ui.Select(byTestId("phone-member")).selectByVisibleText("Hoàng Văn Đức");
        click("phone-rsvp-no");
        new org.openqa.selenium.support.ui.Select(byTestId("phone-reason-code")).selectByValue("work");
        type("phone-reason", "Trực ca ở nhà máy");
        click("phone-submit");
        assertThat(byTestId("reply-saved").isDisplayed()).isTrue();
        assertThat(text("ledger-rsvp-" + people.get("u-duc"))).contains("Xin vắng");
        assertThat(text("tally-no")).isEqualTo("1");
        shoot("05-live");
        driver.get(base() + "/meetings/" + meetingId); // without the phone reply's notice, for the README's picture
        shootForReadme("live");

        // the meeting is over; the next morning's session starts from a fresh link
        app.advance(Duration.ofHours(13).plusMinutes(30));
        signIn(link());
        assertThat(text("attention")).contains("Chưa xác nhận điểm danh");
        shoot("06-home-attention");

        driver.get(base() + "/meetings/" + meetingId + "/attendance");
        assertThat(checked("att-" + people.get("u-minh") + "-present")).isTrue();
        assertThat(checked("att-" + people.get("u-duc") + "-excused")).isTrue();
        assertThat(checked("att-" + people.get("u-lan") + "-absent")).isTrue();
        // Lan came after all, and so did the secretary: one tap each
        click("att-" + people.get("u-lan") + "-present");
        click("att-" + hung + "-present");
        shoot("07-attendance");
        shootForReadme("attendance");
        click("attendance-confirm");
        assertThat(byTestId("attendance-saved").isDisplayed()).isTrue();
        assertThat(text("attendance-count")).isEqualTo("Có mặt 3/6");
        assertThat(app.api.get("/api/v1/meetings/" + meetingId).body().get("attendance").asText()).isEqualTo("confirmed");

        driver.get(base() + "/units/" + unit + "/reports");
        assertThat(text("report-rate-" + unit + "-2026-12")).isEqualTo("50%");
        assertThat(driver.findElement(By.cssSelector("[data-testid=report-chart-narrow] rect")).getAttribute("height")).isNotNull();
        shoot("08-report");
        shootForReadme("report");

        // the English switch keeps the page
        click("lang-switch");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Attendance report");
        shoot("09-report-en");
        click("lang-switch");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Báo cáo dự họp");
    }

    /**
     * A province supervisor follows the roll-up down to a cell. The tree and its November meetings (recorded
     * afterwards) are apart from the secretary's unit, and the clock is left alone, so the order of the tests
     * does not matter.
     */
    @Test
    void a_supervisor_drills_down_the_roll_up_from_the_province_to_a_cell() throws IOException {
        long province = newUnit("Tỉnh uỷ Yên Bái", null);
        long district = newUnit("Huyện uỷ Văn Yên", province);
        newUnit("Huyện uỷ Lục Yên", province);
        long dongTam = newUnit("Chi bộ thôn Đồng Tâm", district);
        long ha = newUnit("Chi bộ thôn Hạ", district);
        newUnit("Chi bộ bản Khe Lóng", district);
        long supervisor = memberOf(province, "Hà Thị Giám", "supervisor");
        // members first: a meeting recorded afterwards invites the members its unit has
        staff(dongTam, 5);
        staff(ha, 4);
        held(dongTam, "2026-11-08T19:30", "present", "present", "excused", "absent", "present");
        held(ha, "2026-11-10T19:30", "present", "present", "present", "present");
        held(ha, "2026-11-24T19:30", "present", "present", "present", "excused");

        signIn(link(province, supervisor));
        driver.get(base() + "/units/" + province + "/rollup?period=2026-11");
        assertThat(text("rollup-rate-child-" + district)).isEqualTo("77%");
        click("rollup-link-" + district);
        assertThat(text("rollup-rate-child-" + dongTam)).isEqualTo("60%");
        assertThat(text("rollup-rate-child-" + ha)).isEqualTo("88%");
        shoot("10-rollup-district");
        click("rollup-link-" + dongTam);
        assertThat(text("rollup-meetings-total-" + dongTam)).isEqualTo("1");
        assertThat(text("rollup-crumbs")).contains("Tỉnh uỷ Yên Bái", "Huyện uỷ Văn Yên", "Chi bộ thôn Đồng Tâm");
    }

    /**
     * The 2025 reform on a phone: a province supervisor moves a cell under the new commune committee, then merges
     * another cell into it after the confirming step. A tree of its own, apart from the other tests'.
     */
    @Test
    void a_supervisor_moves_a_cell_under_another_committee_and_merges_another_into_it_after_confirming() throws IOException {
        long province = newUnit("Tỉnh uỷ Phú Thọ", null);
        long district = newUnit("Huyện uỷ Lâm Thao", province);
        long commune = newUnit("Đảng uỷ xã Tân Lập", province);
        long ha = newUnit("Chi bộ thôn Hạ", district);
        long thuong = newUnit("Chi bộ thôn Thượng", district);
        long bi = memberOf(ha, "Đỗ Văn Bí", "secretary");
        long hoa = memberOf(thuong, "Phạm Thị Hoa", "member");
        long giang = memberOf(thuong, "Lương Văn Giang", "member");
        long supervisor = memberOf(province, "Trần Văn Cấp", "supervisor");
        signIn(link(province, supervisor));

        driver.get(base() + "/units/" + ha);
        assertThat(byTestId("move-parent").findElements(By.tagName("option"))).extracting(WebElement::getText)
                .contains("Đảng uỷ xã Tân Lập").doesNotContain("Huyện uỷ Lâm Thao", "Chi bộ thôn Hạ");
        new org.openqa.selenium.support.ui.Select(byTestId("move-parent")).selectByVisibleText("Đảng uỷ xã Tân Lập");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('move-from').value = '2026-12-01'");
        shootPart("unit-restructure", "restructure");
        click("move-submit");
        waitFor("the move's notice", () -> driver.getPageSource().contains("trực thuộc Đảng uỷ xã Tân Lập từ 2026-12-01"));
        assertThat(app.api.get("/api/v1/units/" + ha).body().get("parentId").asLong()).isEqualTo(commune);
        assertThat(app.api.get("/api/v1/units/" + ha + "/audit").body().get("events")).filteredOn(e -> e.get("action").asText().equals("unit.moved"))
                .extracting(e -> e.get("detail").asText()).containsExactly("parent " + district + " → " + commune + " from 2026-12-01");
        // now the old district is the one it may move back under, and its present parent is no longer offered
        assertThat(byTestId("move-parent").findElements(By.tagName("option"))).extracting(WebElement::getText)
                .contains("Huyện uỷ Lâm Thao").doesNotContain("Đảng uỷ xã Tân Lập");

        driver.get(base() + "/units/" + thuong);
        new org.openqa.selenium.support.ui.Select(byTestId("merge-target")).selectByVisibleText("Chi bộ thôn Hạ");
        click("merge-submit");
        assertThat(text("merge-confirm-text")).startsWith("Hợp nhất Chi bộ thôn Thượng vào Chi bộ thôn Hạ?");
        shootPart("unit-merge-confirm", "merge-confirm");
        // asking merges nothing
        assertThat(app.api.get("/api/v1/units/" + ha + "/members").body().findValuesAsText("name")).containsExactly("Đỗ Văn Bí");

        click("merge-confirm");
        waitFor("the unit merged into", () -> driver.getCurrentUrl().startsWith(base() + "/units/" + ha + "?"));
        assertThat(text("unit-name")).isEqualTo("Chi bộ thôn Hạ");
        assertThat(driver.getPageSource()).contains("Đã hợp nhất Chi bộ thôn Thượng vào Chi bộ thôn Hạ.");
        assertThat(text("member-" + hoa)).contains("Phạm Thị Hoa");
        assertThat(text("member-" + giang)).contains("Lương Văn Giang");
        shoot("13-unit-merged");
        assertThat(app.api.get("/api/v1/units/" + ha + "/members").body().findValuesAsText("id"))
                .containsExactlyInAnyOrder(String.valueOf(bi), String.valueOf(hoa), String.valueOf(giang));
        assertThat(app.api.get("/api/v1/units").body().findValuesAsText("id")).doesNotContain(String.valueOf(thuong));
        long mergedInto = app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT merged_into FROM units WHERE id = :u")
                .bind("u", thuong).mapTo(Long.class).one());
        assertThat(mergedInto).isEqualTo(ha);

        // the merged cell is no longer offered, and opening it says where it went and leads there
        driver.get(base() + "/units/" + district);
        assertThat(byTestId("merge-target").findElements(By.tagName("option"))).extracting(WebElement::getText)
                .containsExactlyInAnyOrder("Tỉnh uỷ Phú Thọ", "Đảng uỷ xã Tân Lập", "Chi bộ thôn Hạ");
        driver.get(base() + "/units/" + thuong);
        assertThat(text("unit-merged")).startsWith("Chi bộ thôn Thượng đã được hợp nhất vào Chi bộ thôn Hạ.");
        shoot("14-unit-was-merged");
        click("unit-merged-link");
        waitFor("the unit it went into", () -> driver.getCurrentUrl().equals(base() + "/units/" + ha));
        assertThat(text("unit-name")).isEqualTo("Chi bộ thôn Hạ");
    }

    @Test
    void a_secretary_previews_a_semicolon_roster_with_a_vietnamese_header_then_imports_it() throws IOException {
        signIn(link());
        driver.get(base() + "/units/" + unit);
        type("import-text", "Họ tên;Vai trò;Điện thoại\nĐinh Thị Thu;Phó bí thư;0912 000 321\n;đảng viên;\nBùi Văn Long;chủ tịch;\n");
        click("import-submit");

        assertThat(text("import-preview-summary")).isEqualTo("Sẽ thêm 1, cập nhật 0; 2 dòng lỗi sẽ bị bỏ qua. Chưa có gì được lưu.");
        assertThat(driver.findElements(By.cssSelector("[data-testid=import-problem]"))).extracting(WebElement::getText)
                .containsExactly("thiếu họ tên", "vai trò \"chủ tịch\" không rõ; dùng: đảng viên, bí thư, phó bí thư, giám sát");
        shootPart("import-preview", "import");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).noneMatch(m -> m.get("name").asText().equals("Đinh Thị Thu"));

        click("import-confirm");
        assertThat(text("import-summary")).isEqualTo("Đã thêm 1, cập nhật 0, 2 dòng lỗi.");
        shootPart("import-done", "import");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).anyMatch(m -> m.get("name").asText().equals("Đinh Thị Thu")
                && m.get("role").asText().equals("deputy"));
    }

    @Test
    void a_member_reads_a_confidential_document_page_by_page_and_the_secretary_sees_who_opened_it() throws IOException {
        long meetingId = app.meeting(unit, "2026-12-05T19:30:00", List.of("P1D")).get("id").asLong();
        Http.Reply upload = app.api.uploadWith("/api/v1/meetings/" + meetingId + "/materials", Map.of("confidential", "true"),
                "Nghị quyết mật.pdf", Samples.pdfPages(2), "application/pdf");
        assertThat(upload.status()).as(upload.text()).isEqualTo(201);
        long id = upload.body().get("id").asLong();

        // the member's one-time reading link, as the bot's /login gives it, leads to the document
        signIn(app.convene.services().signIn().readerLinkFor(people.get("u-lan"), "/documents/" + id).url());
        waitFor("the viewer", () -> driver.getCurrentUrl().equals(base() + "/documents/" + id));
        assertThat(text("document-title")).isEqualTo("🔒 Nghị quyết mật.pdf");
        waitFor("the first page drawn", () -> ((Number) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('[data-testid=document-page-1]').naturalWidth")).intValue() > 0);
        assertThat(driver.findElements(By.cssSelector("[data-testid=document-download]"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("[data-testid=nav-documents]"))).hasSize(1);
        shoot("11-document-viewer");

        signIn(link());
        driver.get(base() + "/documents/" + id + "/views");
        assertThat(text("views-summary")).isEqualTo("1/6 người đã mở phiên bản 1 (bản hiện hành).");
        assertThat(driver.findElements(By.cssSelector("[data-testid=log-row]"))).hasSizeGreaterThanOrEqualTo(2);
        shoot("12-document-views");
    }

    @Test
    void a_secretary_ends_a_membership_on_a_phone_and_finds_it_on_the_audit_page() throws IOException {
        long tam = member("Ngô Văn Tâm", "member", null);
        signIn(link());
        driver.get(base() + "/units/" + unit);
        assertThat(text("member-" + tam)).contains("Chính thức");
        click("member-link-" + tam);
        assertThat(text("member-name")).isEqualTo("Ngô Văn Tâm");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('leftOn').value = '2026-12-01'");
        new org.openqa.selenium.support.ui.Select(byTestId("member-field-left-reason")).selectByValue("transferred");
        shoot("10-member");
        click("member-save");
        assertThat(text("member-saved")).isEqualTo("Đã lưu.");
        assertThat(text("member-status")).isEqualTo("Chính thức");
        driver.get(base() + "/units/" + unit);
        assertThat(text("former-members")).contains("Ngô Văn Tâm", "chuyển sinh hoạt");
        shoot("11-unit-former");
        click("unit-audit");
        assertThat(text("audit-events")).contains("Kết thúc sinh hoạt", "Nguyễn Văn Hùng", "Ngô Văn Tâm");
        shoot("12-audit");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members/" + tam).body().get("leftReason").asText()).isEqualTo("transferred");
    }

    @Test
    void before_its_agenda_the_chase_is_disabled_and_cancelling_asks_then_leaves_a_read_only_editor() throws IOException {
        long id = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp chi bộ bất thường", "startsAt", "2026-12-20T19:30:00",
                "reminders", List.of("P3D"))).body().get("id").asLong();
        signIn(link());

        driver.get(base() + "/meetings/" + id);
        assertThat(byTestId("chase").isEnabled()).isFalse();
        assertThat(text("chase-hint")).startsWith("Chương trình họp chưa được gửi vào nhóm");
        shootPart("chase-before-agenda", "chase-form");

        driver.get(base() + "/meetings/" + id + "/edit");
        type("cancel-reason", "Trùng lịch họp của phường");
        click("meeting-cancel");
        assertThat(text("cancel-confirm-question")).startsWith("Huỷ cuộc họp \"Họp chi bộ bất thường\"");
        shootPart("cancel-confirm", "cancel");
        assertThat(app.api.get("/api/v1/meetings/" + id).body().get("status").asText()).isEqualTo("scheduled");

        click("meeting-cancel-confirm");
        waitFor("the read-only editor", () -> !driver.findElements(By.cssSelector("[data-testid=meeting-reinstate]")).isEmpty());
        assertThat(byTestId("meeting-title").isEnabled()).as("the title field").isFalse();
        assertThat(app.api.get("/api/v1/meetings/" + id).body().get("cancelReason").asText()).isEqualTo("Trùng lịch họp của phường");
        shoot("editor-cancelled");

        click("meeting-reinstate");
        assertThat(text("reinstated")).isEqualTo("Đã khôi phục cuộc họp.");
        assertThat(byTestId("meeting-title").isEnabled()).isTrue();
    }

    @Test
    void the_demo_shows_figures_on_every_page_at_the_first_visit() throws IOException {
        try (TestConvene demo = TestConvene.start()) {
            org.convene.app.DemoData.Seeded seeded = new org.convene.app.DemoData(demo.convene, demo.clock).seed();
            String at = "http://localhost:" + demo.convene.port();
            signIn(seeded.signInUrl());
            long committee = demo.api.get("/api/v1/units/" + seeded.unitId()).body().get("parentId").asLong();

            driver.get(at + "/units/" + seeded.unitId() + "/reports");
            assertThat(driver.findElements(By.cssSelector("[data-testid^=report-row-]"))).hasSizeGreaterThanOrEqualTo(3);
            assertThat(driver.getPageSource()).contains("100%");
            shoot("demo-report");

            driver.get(at + "/units/" + committee + "/rollup");
            assertThat(driver.findElements(By.cssSelector("[data-testid^=rollup-row-]"))).hasSizeGreaterThanOrEqualTo(3);
            assertThat(text("rollup-table")).contains("Chi bộ khu Hồng Hà", "Chi bộ khu Bạch Đằng", "86%", "100%");
            assertThat(driver.getPageSource()).as("on the 1st, last month").contains("<option value=\"2026-11\" selected");
            shoot("demo-rollup");

            long held = demo.api.get("/api/v1/meetings?unitId=" + seeded.unitId() + "&from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z")
                    .body().get(0).get("id").asLong();
            driver.get(at + "/meetings/" + held + "/attendance");
            assertThat(driver.getPageSource()).contains("Nguyễn Văn Hùng");
            shoot("demo-attendance");
        }
    }

    static long newUnit(String name, Long parent) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name));
        if (parent != null) body.put("parentId", parent);
        Http.Reply r = app.api.post("/api/v1/units", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    static long memberOf(long unitId, String name, String role) {
        Http.Reply r = app.api.post("/api/v1/units/" + unitId + "/members", Map.of("name", name, "role", role));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    static void staff(long unitId, int count) {
        List<Long> members = cellMembers.computeIfAbsent(unitId, k -> new java.util.ArrayList<>());
        for (int i = 1; i <= count; i++) members.add(memberOf(unitId, "Đảng viên " + unitId + "." + i, "member"));
    }

    /** A meeting that took place, with the statuses of the unit's members in order. */
    static void held(long unitId, String startsAt, String... statuses) {
        List<Long> members = cellMembers.get(unitId);
        List<Map<String, Object>> attendance = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) attendance.add(Map.of("memberId", members.get(i), "status", statuses[i]));
        Http.Reply m = app.api.post("/api/v1/meetings", Map.of("unitId", unitId, "title", "Sinh hoạt chi bộ tháng 11", "startsAt", startsAt,
                "recorded", true));
        assertThat(m.status()).as(m.text()).isEqualTo(201);
        assertThat(app.api.put("/api/v1/meetings/" + m.body().get("id").asLong() + "/attendance", attendance).status()).isEqualTo(200);
    }

    // ---- helpers ----

    static String base() {
        return "http://localhost:" + app.convene.port();
    }

    static String link() {
        return link(unit, hung);
    }

    static String link(long unitId, long memberId) {
        Http.Reply r = app.api.post("/api/v1/units/" + unitId + "/members/" + memberId + "/login-link", "");
        assertThat(r.status()).isEqualTo(201);
        return r.body().get("url").asText();
    }

    /** Opens a sign-in link as a person does: the browser says so, and the link signs in at once. */
    static void signIn(String link) {
        driver.get(link);
        waitFor("signed in", () -> !driver.getCurrentUrl().contains("/login/"));
    }

    static void press(JsonNode message, int button, String userId, String userName) {
        Http.Reply r = app.api.post("/api/v1/local/chats/lac-thanh/press", Map.of("messageId", message.get("messageId").asLong(),
                "buttonId", message.at("/buttons/" + button + "/id").asText(), "userId", userId, "userName", userName));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    static WebElement byTestId(String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.cssSelector("[data-testid=\"" + id + "\"]")));
    }

    static String text(String id) {
        return byTestId(id).getText().strip();
    }

    static void click(String id) {
        WebElement e = byTestId(id);
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
        e.click();
    }

    static void type(String id, String text) {
        WebElement e = byTestId(id);
        e.clear();
        e.sendKeys(text);
    }

    static boolean checked(String labelTestId) {
        WebElement label = byTestId(labelTestId);
        return driver.findElement(By.id(label.getAttribute("for"))).isSelected();
    }

    static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(what).until(d -> condition.getAsBoolean());
    }

    static Path file(String name, byte[] content) throws IOException {
        Path dir = Files.createTempDirectory("convene-upload-");
        return Files.write(dir.resolve(name), content);
    }

    static void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", PHONE);
    }

    /** The whole page at a phone's width and at a desktop's; the test goes on at the phone's. */
    static void shoot(String name) throws IOException {
        for (var size : List.of(Map.entry("phone", PHONE), Map.entry("desktop", DESKTOP))) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", size.getValue());
            Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                    "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
            capture(SHOTS.resolve(name + "-" + size.getKey() + ".png"), (Integer) size.getValue().get("width"), Math.min(6000, height.intValue()));
        }
        phone();
    }

    /** One part of the page (the element with that id) at a phone's width, to look at without scrolling a whole page. */
    static void shootPart(String name, String elementId) throws IOException {
        Files.createDirectories(SHOTS.resolve("parts"));
        Map<?, ?> box = (Map<?, ?>) ((JavascriptExecutor) driver).executeScript(
                "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                + " return {y: r.top + window.scrollY, h: r.height};", elementId);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", ((Number) box.get("y")).doubleValue(), "width", 390,
                        "height", Math.min(3000, ((Number) box.get("h")).doubleValue()), "scale", 1)));
        Files.write(SHOTS.resolve("parts").resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** The top of the page at a phone's width, short enough for the README (copied by hand into docs/). */
    static void shootForReadme(String name) throws IOException {
        Files.createDirectories(SHOTS.resolve("readme"));
        Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
        capture(SHOTS.resolve("readme").resolve(name + ".png"), 390, Math.min(1200, height.intValue()));
    }

    private static void capture(Path file, int width, int height) throws IOException {
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }
}
