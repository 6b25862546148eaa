package org.convene.chat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.convene.app.Config;
import org.convene.app.ConfigLoader;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local chat is for the demo and tests: off unless asked for, and when on it answers only a signed-in
 * viewer or a bearer token, for the bound chats of the units they reach, with JSON bodies and capped texts.
 */
class LocalChatAccessTest {
    TestConvene app;
    long unit;
    long other;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        other = app.unit("Chi bộ thôn Đồng Tâm");
        app.member(unit, "Lê Văn Minh", "minh");
        app.localChat(unit, "lac-thanh");
        app.localChat(other, "dong-tam");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    Map<String, Object> say(String text) {
        return Map.of("userId", "minh", "userName", "Minh", "text", text);
    }

    @Test
    void serve_leaves_the_local_chat_off_unless_local_enabled_is_set() {
        Config plain = ConfigLoader.load(null, false, Map.of());
        Config asked = ConfigLoader.load(null, false, Map.of("CONVENE_LOCAL_ENABLED", "true"));

        assertThat(plain.local().enabled()).isFalse();
        assertThat(asked.local().enabled()).isTrue();
        assertThat(plain.httpHost()).isNull();
        assertThat(ConfigLoader.load(null, false, Map.of("CONVENE_HTTP_HOST", "127.0.0.1")).httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void without_a_session_or_a_token_the_local_chat_answers_401_and_its_page_sends_to_sign_in() {
        assertThat(app.anonymous.get("/api/v1/local/chats").status()).isEqualTo(401);
        assertThat(app.anonymous.get("/api/v1/local/chats/lac-thanh/messages").status()).isEqualTo(401);
        assertThat(app.anonymous.post("/api/v1/local/chats/lac-thanh/say", say("có")).status()).isEqualTo(401);
        WebClient.Page page = new WebClient("http://localhost:" + app.convene.port()).get("/local");
        assertThat(page.status()).isIn(302, 303);
        assertThat(page.location()).startsWith("/login");
        assertThat(app.localMessages("lac-thanh")).isEmpty();
    }

    @Test
    void a_text_plain_body_is_refused_so_no_other_site_can_drive_the_chat() {
        Http.Reply r = app.api.postRaw("/api/v1/local/chats/lac-thanh/say", "{\"userId\":\"minh\",\"text\":\"có\"}", "text/plain");

        assertThat(r.status()).isEqualTo(415);
        assertThat(app.localMessages("lac-thanh")).isEmpty();
    }

    @Test
    void a_text_longer_than_4096_characters_is_refused_and_not_stored() {
        Http.Reply r = app.api.post("/api/v1/local/chats/lac-thanh/say", say("a".repeat(4097)));
        Http.Reply fits = app.api.post("/api/v1/local/chats/lac-thanh/say", say("a".repeat(4096)));

        assertThat(r.status()).isEqualTo(413);
        assertThat(fits.status()).isEqualTo(201);
        assertThat(app.localMessages("lac-thanh")).hasSize(1);
    }

    @Test
    void only_chats_bound_to_a_unit_the_caller_reaches_are_there() {
        String token = app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        Http cell = app.api.as(token);

        assertThat(app.api.post("/api/v1/local/chats/nowhere/say", say("có")).status()).as("bound to no unit").isEqualTo(404);
        assertThat(cell.post("/api/v1/local/chats/dong-tam/say", say("có")).status()).as("another unit's").isEqualTo(404);
        assertThat(cell.get("/api/v1/local/chats/dong-tam/messages").status()).isEqualTo(404);
        assertThat(cell.post("/api/v1/local/chats/lac-thanh/say", say("có")).status()).isEqualTo(201);
        JsonNode listed = cell.get("/api/v1/local/chats").body();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("chatId").asText()).isEqualTo("lac-thanh");
    }

    @Test
    void a_signed_in_viewer_uses_the_page_and_its_json_with_the_session_cookie() {
        long hung = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
        String link = app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body().get("url").asText();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        browser.signIn(link);

        assertThat(browser.get("/local").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/local/chats").body()).contains("lac-thanh").doesNotContain("dong-tam");
    }

    @Test
    void messages_older_than_the_kept_days_are_deleted() {
        app.api.post("/api/v1/local/chats/lac-thanh/say", say("tin cũ"));
        app.clock.advance(Duration.ofDays(8));
        app.api.post("/api/v1/local/chats/lac-thanh/say", say("tin mới"));

        app.convene.services().local().forgetBefore(app.clock.instant().minus(Duration.ofDays(7)));

        assertThat(app.localMessages("lac-thanh")).extracting(m -> m.get("text").asText()).containsExactly("tin mới");
    }
}
