package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 3: a confidential document is never posted as a file; members read it in the browser
 * after signing in, page by page as images with their name on them, without a download; every view is
 * logged, and the log is a page for the secretary and the supervisors.
 */
class DocumentViewerTest {
    static final String CHAT = "c-mat";
    TestConvene app;
    long unit;
    long guests;
    long hung;
    long lan;
    long minh;
    long tu;
    long meetingId;

    @BeforeEach
    void aPilotMeetingWithAnObserverUnit() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ Tân Lập");
        guests = app.unit("Chi bộ Hoà Bình");
        hung = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
        lan = app.member(unit, "Trần Thị Lan", "u-lan");
        minh = app.member(unit, "Lê Văn Minh", "u-minh");
        tu = app.member(guests, "Phạm Văn Tú", "u-tu");
        app.localChat(unit, CHAT);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("unitId", unit, "title", "Sinh hoạt chi bộ mẫu", "kind", "pilot",
                "startsAt", "2026-12-01T11:00:00", "observerUnitIds", List.of(guests),
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda"))));
        meetingId = app.api.post("/api/v1/meetings", body).body().get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private long confidential(String name, byte[] pdf, boolean observers) {
        Http.Reply r = app.api.uploadWith("/api/v1/meetings/" + meetingId + "/materials",
                Map.of("confidential", "true", "observersMayView", String.valueOf(observers)), name, pdf, "application/pdf");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.body().get("confidential").asBoolean()).isTrue();
        return r.body().get("id").asLong();
    }

    /** A browser signed in with the member's one-time reading link, as the bot's /login gives it. */
    private WebClient signedIn(long person) {
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        String link = app.convene.services().signIn().readerLinkFor(person, "/documents").url();
        WebClient.Page page = browser.signIn(link);
        assertThat(page.status()).isEqualTo(303);
        return browser;
    }

    /** A browser signed in with a management link, as the secretary's /login gives it. */
    private WebClient secretary(long person) {
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        String link = app.api.post("/api/v1/units/" + unit + "/members/" + person + "/login-link", "").body().get("url").asText();
        assertThat(browser.signIn(link).status()).isEqualTo(303);
        return browser;
    }

    private static final OkHttpClient RAW = new OkHttpClient.Builder().followRedirects(false).build();

    /** The bytes of a page image, with the browser's cookies. */
    private byte[] image(WebClient browser, String path) {
        String cookie = String.join("; ", browser.cookies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        try (Response r = RAW.newCall(new Request.Builder().url("http://localhost:" + app.convene.port() + path).header("Cookie", cookie).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("image/png");
            assertThat(r.header("Content-Disposition")).startsWith("inline");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            return r.body().bytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** How many pixels of the image's bottom band are the watermark's dark red. */
    private static int redPixelsAtTheBottom(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int red = 0;
        for (int y = image.getHeight() - 40; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (r > 100 && g < 90 && b < 90) red++;
            }
        }
        return red;
    }

    @Test
    void a_confidential_document_is_never_posted_as_a_file_and_the_agenda_says_where_to_read_it() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(2), false);

        app.advance(Duration.ofSeconds(10));
        await("the agenda", () -> app.localMessages(CHAT).size() == 1);
        app.advance(Duration.ofSeconds(5));

        JsonNode messages = app.localMessages(CHAT);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).path("document").isNull() || messages.get(0).path("document").isMissingNode()).isTrue();
        assertThat(messages.get(0).get("text").asText()).contains("🔒 Nghị quyết mật.pdf", "tài liệu mật",
                app.convene.publicUrl() + "/documents/" + id);
    }

    @Test
    void a_member_signed_in_reads_the_pages_as_images_with_their_name_and_cannot_download() throws IOException {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(2), false);
        WebClient lanBrowser = signedIn(lan);

        WebClient.Page mine = lanBrowser.get("/documents");
        WebClient.Page viewer = lanBrowser.get("/documents/" + id);
        byte[] page1 = image(lanBrowser, "/documents/" + id + "/pages/1");
        byte[] page1ForMinh = image(signedIn(minh), "/documents/" + id + "/pages/1");
        WebClient.Page download = lanBrowser.get("/documents/" + id + "/file");
        WebClient.Page beyond = lanBrowser.get("/documents/" + id + "/pages/3");

        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body()).contains("Nghị quyết mật.pdf", "Sinh hoạt chi bộ mẫu", "Trần Thị Lan");
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.body()).contains("data-testid=\"document-page-1\"", "data-testid=\"document-page-2\"", "không tải về")
                .doesNotContain("document-download", "document-views-link");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(page1));
        assertThat(image.getWidth()).isBetween(900, 1240);
        assertThat(redPixelsAtTheBottom(page1)).as("the name along the bottom edge").isGreaterThan(200);
        assertThat(page1).as("each reader's own name is on the page").isNotEqualTo(page1ForMinh);
        assertThat(download.status()).isEqualTo(403);
        assertThat(download.body()).as("said in the page's language").contains("tài liệu mật", "không tải về được");
        assertThat(beyond.status()).isEqualTo(404);
    }

    @Test
    void without_signing_in_the_reader_is_sent_to_sign_in_which_says_how_to_get_a_link_without_a_bot() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(1), false);
        WebClient stranger = new WebClient("http://localhost:" + app.convene.port());

        WebClient.Page page = stranger.get("/documents/" + id);
        WebClient.Page image = stranger.get("/documents/" + id + "/pages/1");
        WebClient.Page login = stranger.get(page.location());

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).isEqualTo("/login?next=%2Fdocuments%2F" + id);
        assertThat(image.status()).isEqualTo(302);
        // only the local chat here: no bot to send /login to, so the page says how else to get a link
        assertThat(login.body()).contains("Ở đây chưa có bot chat nào").doesNotContain("data-testid=\"login-members\"");
    }

    @Test
    void an_observer_reads_a_confidential_document_only_when_the_secretary_allowed_it_and_outsiders_never() {
        long closed = confidential("Chỉ chi bộ.pdf", Samples.pdfPages(1), false);
        long open = confidential("Cho đại biểu.pdf", Samples.pdfPages(1), true);
        long stranger = app.member(app.unit("Chi bộ khác"), "Đỗ Văn Lạ", "u-la");
        WebClient tuBrowser = signedIn(tu);
        WebClient strangerBrowser = signedIn(stranger);

        assertThat(tuBrowser.get("/documents/" + closed).status()).isEqualTo(403);
        assertThat(tuBrowser.get("/documents/" + closed + "/pages/1").status()).isEqualTo(403);
        assertThat(tuBrowser.get("/documents/" + open).status()).isEqualTo(200);
        assertThat(tuBrowser.get("/documents").body()).contains("Cho đại biểu.pdf").doesNotContain("Chỉ chi bộ.pdf");
        assertThat(strangerBrowser.get("/documents/" + open).status()).isEqualTo(403);
        assertThat(strangerBrowser.get("/documents").body()).doesNotContain("Cho đại biểu.pdf");
    }

    @Test
    void every_view_is_logged_and_the_secretary_sees_who_opened_which_version_but_a_member_does_not() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(2), false);
        WebClient lanBrowser = signedIn(lan);
        lanBrowser.get("/documents/" + id);
        image(lanBrowser, "/documents/" + id + "/pages/1");
        image(lanBrowser, "/documents/" + id + "/pages/2");
        app.clock.advance(Duration.ofMinutes(3));
        app.api.uploadWith("/api/v1/materials/" + id + "/versions", Map.of(), "Nghị quyết mật.pdf", Samples.pdfPages(3), "application/pdf");
        WebClient hungBrowser = secretary(hung);

        WebClient.Page views = hungBrowser.get("/documents/" + id + "/views");
        JsonNode api = app.api.get("/api/v1/materials/" + id + "/views").body();
        WebClient.Page asMember = lanBrowser.get("/documents/" + id + "/views");

        assertThat(views.status()).isEqualTo(200);
        assertThat(views.body()).contains("Trần Thị Lan", "mới mở v1, bản cũ", "chưa mở", "trang 2", "trang 1", "0/3 người đã mở phiên bản 2");
        assertThat(api.get("currentVersion").asInt()).isEqualTo(2);
        JsonNode lanReceipt = null;
        for (JsonNode r : api.get("receipts")) if (r.get("memberId").asLong() == lan) lanReceipt = r;
        assertThat(lanReceipt.get("lastVersion").asInt()).isEqualTo(1);
        assertThat(lanReceipt.get("openedCurrent").asBoolean()).isFalse();
        assertThat(lanReceipt.get("lastOpenedAt").asText()).startsWith("2026-12-01T08:00");
        assertThat(api.get("views")).extracting(v -> v.get("kind").asText() + (v.get("page").isNull() ? "" : v.get("page").asText()))
                .containsExactly("page2", "page1", "opened");
        assertThat(asMember.status()).isEqualTo(403);
    }

    @Test
    void a_managers_download_of_a_confidential_file_is_logged_like_a_readers_view() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(1), false);

        assertThat(app.api.get("/api/v1/materials/" + id + "/content").status()).isEqualTo(200);
        assertThat(secretary(hung).get("/materials/" + id).status()).isEqualTo(200);

        JsonNode views = app.api.get("/api/v1/materials/" + id + "/views").body().get("views");
        assertThat(views).extracting(v -> v.get("kind").asText()).containsExactly("downloaded", "downloaded");
        assertThat(views).extracting(v -> v.get("name").asText()).contains("Nguyễn Văn Hùng");
    }

    @Test
    void a_supervisor_of_the_unit_above_reads_the_log_and_another_units_token_does_not() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(1), false);
        long other = app.unit("Chi bộ khác");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        String own = app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        assertThat(app.api.as(token).get("/api/v1/materials/" + id + "/views").status()).isEqualTo(403);
        assertThat(app.api.as(own).get("/api/v1/materials/" + id + "/views").status()).isEqualTo(200);
        assertThat(app.api.as(own).get("/api/v1/materials/99999/views").status()).isEqualTo(404);
    }

    @Test
    void a_reading_link_manages_nothing_even_in_a_secretarys_hands() {
        long id = confidential("Nghị quyết mật.pdf", Samples.pdfPages(1), false);
        WebClient hungReading = signedIn(hung);

        assertThat(hungReading.get("/documents/" + id).status()).isEqualTo(200);
        assertThat(hungReading.get("/documents/" + id + "/views").status()).isEqualTo(403);
        assertThat(hungReading.get("/units/" + unit).status()).isEqualTo(302);
    }
}
