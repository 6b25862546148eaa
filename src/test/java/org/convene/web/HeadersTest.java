package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every answer, not only the secretary's pages, carries the security headers; HTML pages a CSP. */
class HeadersTest {
    static TestConvene app;
    static long meeting;
    static long material;
    static String calendarUrl;

    @BeforeAll
    static void start() {
        app = TestConvene.start(Map.of("CONVENE_PUBLIC_URL", "https://convene.example.org"));
        long unit = app.unit("Chi bộ 1");
        meeting = app.meeting(unit, "2026-12-05T19:30", null).get("id").asLong();
        material = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "bao-cao.pdf", "%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII),
                "application/pdf").body().get("id").asLong();
        calendarUrl = app.api.get("/api/v1/units/" + unit).body().get("calendarUrl").asText().replace("https://convene.example.org", "");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void every_kind_of_answer_carries_nosniff_a_referrer_policy_no_framing_and_hsts_behind_https() {
        for (String path : List.of("/health", "/metrics", "/api/v1/units", "/api/v1/meetings/" + meeting, "/api/v1/materials/" + material + "/content",
                calendarUrl, "/local", "/api/v1/local/chats", "/nowhere", "/login")) {
            Http.Reply r = app.api.get(path);
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).as(path).isNotBlank();
            assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
            assertThat(r.header("Strict-Transport-Security")).as(path).startsWith("max-age=");
        }
    }

    @Test
    void the_local_chat_page_has_a_csp_that_allows_its_own_script_by_hash_and_no_other_inline_script() throws Exception {
        Http.Reply r = app.api.get("/local");
        String csp = r.header("Content-Security-Policy");
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(r.text());
        assertThat(script.find()).isTrue();
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(script.group(1).getBytes(StandardCharsets.UTF_8)));

        assertThat(csp).contains("default-src 'self'", "'sha256-" + hash + "'", "object-src 'none'");
        assertThat(csp.substring(csp.indexOf("script-src"), csp.indexOf(';', csp.indexOf("script-src")))).doesNotContain("unsafe-inline");
    }

    @Test
    void a_material_is_downloaded_as_an_attachment() {
        Http.Reply r = app.api.get("/api/v1/materials/" + material + "/content");
        assertThat(r.header("Content-Disposition")).startsWith("attachment;");
    }

    @Test
    void hsts_is_only_sent_when_the_public_address_is_https() {
        try (TestConvene plain = TestConvene.start()) {
            Http.Reply r = plain.api.get("/health");
            assertThat(r.header("Strict-Transport-Security")).isNull();
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }
}
