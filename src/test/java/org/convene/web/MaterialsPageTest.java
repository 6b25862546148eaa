package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A meeting's materials page: opened without signing in by its unguessable address, for a while after the meeting. */
class MaterialsPageTest {
    private static final OkHttpClient PHONE = new OkHttpClient.Builder().followRedirects(false).build();

    TestConvene app;
    long unit;
    long meeting;
    long pdf;
    long secret;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        // 19:30 on 5 December for two hours (the default): the page stays open until 21:30 on 12 December
        meeting = app.meeting(unit, "2026-12-05T19:30:00", List.of("P1D")).get("id").asLong();
        pdf = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "Nghị quyết số 5.pdf", Samples.pdf(), "application/pdf")
                .body().get("id").asLong();
        secret = app.api.uploadWith("/api/v1/meetings/" + meeting + "/materials", Map.of("confidential", "true"), "Hồ sơ nhân sự.pdf",
                Samples.pdf(), "application/pdf").body().get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private String link() {
        Http.Reply r = app.api.get("/api/v1/meetings/" + meeting + "/materials-page");
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("url").asText();
    }

    private record Page(int status, String body, String contentType, Response raw) {}

    private static Page open(String url) {
        try (Response r = PHONE.newCall(new Request.Builder().url(url).get().build()).execute()) {
            return new Page(r.code(), r.body().string(), r.header("Content-Type"), r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void the_link_is_unguessable_and_the_same_each_time_it_is_asked_for() {
        String first = link();
        assertThat(first).matches("http://localhost:\\d+/m/[A-Za-z0-9_-]{32}");
        assertThat(link()).isEqualTo(first);
        Http.Reply r = app.api.get("/api/v1/meetings/" + meeting + "/materials-page");
        assertThat(r.body().get("expiresAt").asText()).isEqualTo("2026-12-12T21:30:00+07:00");
    }

    @Test
    void the_page_lists_the_documents_without_a_sign_in_and_never_a_confidential_one() {
        Page page = open(link());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("Sinh hoạt chi bộ tháng 12", "Nghị quyết số 5.pdf", "data-testid=\"material-" + pdf + "\"")
                .doesNotContain("Hồ sơ nhân sự");
        assertThat(page.raw().header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.raw().header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.raw().header("X-Robots-Tag")).contains("noindex");
    }

    @Test
    void a_document_downloads_as_an_attachment_under_its_own_name() throws Exception {
        try (Response r = PHONE.newCall(new Request.Builder().url(link() + "/" + pdf).get().build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/pdf");
            assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename*=UTF-8''Ngh%E1%BB%8B%20quy%E1%BA%BFt%20s%E1%BB%91%205.pdf");
            assertThat(r.body().bytes()).isEqualTo(Samples.pdf());
        }
    }

    @Test
    void a_confidential_document_or_one_of_another_meeting_is_not_there_through_the_page() {
        long other = app.meeting(unit, "2026-12-20T19:30:00", List.of("P1D")).get("id").asLong();
        long elsewhere = app.api.upload("/api/v1/meetings/" + other + "/materials", "Khác.pdf", Samples.pdf(), "application/pdf")
                .body().get("id").asLong();
        assertThat(open(link() + "/" + secret).status()).isEqualTo(404);
        assertThat(open(link() + "/" + elsewhere).status()).isEqualTo(404);
    }

    @Test
    void a_wrong_token_is_not_found_and_says_so_in_the_contracts_shape_to_a_program() throws Exception {
        String wrong = link().replaceAll("/m/.*", "/m/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(open(wrong).status()).isEqualTo(404);
        try (Response r = PHONE.newCall(new Request.Builder().url(wrong).header("Accept", "application/json").get().build()).execute()) {
            assertThat(r.code()).isEqualTo(404);
            assertThat(Http.JSON.readTree(r.body().string()).at("/error/code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void the_page_closes_the_configured_days_after_the_meeting_ends() {
        String url = link();
        app.clock.set(java.time.Instant.parse("2026-12-12T14:29:00Z"));
        assertThat(open(url).status()).isEqualTo(200);
        app.clock.advance(Duration.ofMinutes(1));
        Page closed = open(url);
        assertThat(closed.status()).isEqualTo(410);
        assertThat(closed.body()).contains("Trang này đã đóng");
        assertThat(open(url + "/" + pdf).status()).isEqualTo(410);
    }

    @Test
    void only_those_who_act_on_the_unit_get_the_link() {
        long otherUnit = app.unit("Chi bộ khác");
        Http.Reply token = app.api.post("/api/v1/units/" + otherUnit + "/tokens", Map.of("role", "secretary"));
        Http.Reply r = app.api.as(token.body().get("token").asText()).get("/api/v1/meetings/" + meeting + "/materials-page");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("forbidden");
    }
}
