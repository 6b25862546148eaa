package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /webhooks/telegram} on a running Convene, with the fake Bot API pushing as Telegram does. */
class TelegramWebhookTest {
    static final String GROUP = "-1001234567890";
    static final FakeBotApi.User LAN = new FakeBotApi.User(5550001, "Lan", "lan_tran");

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private void start(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        env.putAll(extra);
        app = TestConvene.start(env);
        fake.webhookTarget("http://localhost:" + app.convene.port());
    }

    private void start() {
        start(Map.of());
    }

    static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long count(String sql) {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private String linkCode(long unit) {
        return app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
    }

    private JsonNode chats(long unit) {
        return app.api.get("/api/v1/units/" + unit + "/chats").body();
    }

    @Test
    void start_up_sets_the_webhook_at_the_public_url_with_a_generated_secret_kept_in_the_database() {
        start();

        assertThat(fake.webhookUrl()).isEqualTo("https://convene.example.org/webhooks/telegram");
        assertThat(fake.webhookSecret()).matches("[0-9a-f]{64}");
        String stored = app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT value FROM settings WHERE name = 'telegram-webhook-secret'").mapTo(String.class).one());
        assertThat(stored).isEqualTo(fake.webhookSecret());
        assertThat(fake.calls("getMe")).hasSize(1);
    }

    @Test
    void a_token_telegram_refuses_stops_start_up_with_the_reason_and_without_the_token() {
        String wrong = FakeBotApi.BOT_ID + ":not-the-token";
        assertThatThrownBy(() -> start(Map.of("CONVENE_TELEGRAM_TOKEN", wrong)))
                .hasMessageContaining("Telegram refused the bot token (Unauthorized)")
                .hasMessageNotContaining("not-the-token");
    }

    @Test
    void a_webhook_address_telegram_refuses_stops_start_up_with_the_reason() {
        fake.refuse("setWebhook", 400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        assertThatThrownBy(() -> start(Map.of("CONVENE_PUBLIC_URL", "http://convene.example.org")))
                .hasMessageContaining("bad webhook: An HTTPS URL must be provided for webhook")
                .hasMessageContaining("CONVENE_TELEGRAM_MODE=polling");
    }

    @Test
    void while_the_bot_api_cannot_be_reached_health_says_degraded_with_the_reason() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        start(Map.of("CONVENE_TELEGRAM_API_URL", "http://localhost:" + closed));

        Http.Reply health = app.anonymous.get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asText()).isEqualTo("degraded");
        assertThat(health.body().at("/platforms/telegram/reason").asText()).startsWith("the Bot API cannot be reached: ");
    }

    @Test
    void health_is_ok_while_the_bot_api_answers() {
        start();

        assertThat(app.anonymous.get("/health").body().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void webhook_mode_refuses_an_address_telegram_cannot_push_to_and_suggests_polling() {
        String official = "https://api.telegram.org";

        assertThat(TelegramBot.webhookRefusal("http://localhost:7070", official)).get().asString()
                .contains("public HTTPS address", "http://localhost:7070", "CONVENE_TELEGRAM_MODE=polling");
        assertThat(TelegramBot.webhookRefusal("https://127.0.0.1:8443", official)).get().asString().contains("local address");
        assertThat(TelegramBot.webhookRefusal("http://convene.example.org", official)).get().asString().contains("not HTTPS");
        assertThat(TelegramBot.webhookRefusal("https://convene.example.org", official)).isEmpty();
        assertThat(TelegramBot.webhookRefusal("http://localhost:7070", "http://localhost:8081")).as("a local Bot API server takes HTTP").isEmpty();
    }

    @Test
    void the_configuration_never_prints_the_token_or_the_secret() {
        start(Map.of("CONVENE_TELEGRAM_WEBHOOK_SECRET", "my-own_Secret42-long"));
        assertThat(app.convene.config().toString()).doesNotContain(FakeBotApi.TOKEN, "my-own_Secret42-long");
    }

    @Test
    void a_configured_secret_is_the_one_telegram_is_given() {
        start(Map.of("CONVENE_TELEGRAM_WEBHOOK_SECRET", "my-own_Secret42-long"));
        assertThat(fake.webhookSecret()).isEqualTo("my-own_Secret42-long");
    }

    @Test
    void link_code_in_a_group_binds_it_and_the_bot_confirms_there() {
        start();
        long unit = app.unit("Chi bộ 3");

        FakeBotApi.Pushed pushed = fake.push(fake.textUpdate(GROUP, LAN, "/link@" + FakeBotApi.BOT_USERNAME + " " + linkCode(unit)));

        assertThat(pushed.status()).isEqualTo(200);
        assertThat(chats(unit)).hasSize(1);
        assertThat(chats(unit).get(0).get("platform").asText()).isEqualTo("telegram");
        assertThat(chats(unit).get(0).get("chatId").asText()).isEqualTo(GROUP);
        assertThat(chats(unit).get(0).get("state").asText()).isEqualTo("active");
        assertThat(fake.messages(GROUP)).extracting(m -> m.text).containsExactly("Đã liên kết nhóm này với Chi bộ 3.");
    }

    @Test
    void a_secretary_can_register_a_telegram_chat_by_its_id_and_the_bot_answers_there() {
        start();
        long unit = app.unit("Chi bộ 3");

        Http.Reply added = app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "telegram", "chatId", GROUP, "title", "Chi bộ 3"));

        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body().get("platform").asText()).isEqualTo("telegram");
        fake.push(fake.textUpdate(GROUP, LAN, "/next"));
        assertThat(fake.messages(GROUP)).extracting(m -> m.text).containsExactly("Chưa có cuộc họp nào sắp tới.");
    }

    @Test
    void a_wrong_or_missing_secret_gets_403_in_the_contracts_shape_and_nothing_is_stored() {
        start();
        long unit = app.unit("Chi bộ 3");
        ObjectNode update = fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit));

        FakeBotApi.Pushed forged = fake.push(update, "not-the-secret");
        FakeBotApi.Pushed missing = fake.push(update, null);

        for (FakeBotApi.Pushed p : new FakeBotApi.Pushed[] {forged, missing}) {
            assertThat(p.status()).isEqualTo(403);
            JsonNode error = json(p.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("forbidden");
            assertThat(error.get("message").asText()).contains("X-Telegram-Bot-Api-Secret-Token");
            assertThat(error.get("details")).isEmpty();
        }
        assertThat(chats(unit)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isZero();
        assertThat(fake.calls("sendMessage")).isEmpty();
        assertThat(fake.push(update).status()).as("the real secret still works").isEqualTo(200);
        assertThat(chats(unit)).hasSize(1);
    }

    @Test
    void the_same_update_delivered_twice_is_handled_once() {
        start();
        long unit = app.unit("Chi bộ 3");
        ObjectNode update = fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit));

        assertThat(fake.push(update).status()).isEqualTo(200);
        assertThat(fake.push(update).status()).isEqualTo(200);

        assertThat(fake.calls("sendMessage")).as("one confirmation, no 'code invalid' for a second handling").hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM inbound_updates WHERE platform = 'telegram'")).isEqualTo(1);
    }

    @Test
    void update_ids_are_forgotten_after_48_hours() {
        start();
        fake.push(fake.textUpdate(GROUP, LAN, "/help"));
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isEqualTo(1);

        app.clock.advance(Duration.ofHours(49));
        fake.push(fake.textUpdate(GROUP, LAN, "/help"));

        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).as("only the new one").isEqualTo(1);
    }

    @Test
    void a_button_press_is_answered_inside_the_webhooks_own_http_answer() {
        start();
        long unit = app.unit("Chi bộ 3");
        fake.push(fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit)));
        FakeBotApi.Posted confirmation = fake.messages(GROUP).getFirst();

        ObjectNode press = fake.pressUpdate(confirmation, LAN, "r:1:a:forged-tag");
        FakeBotApi.Pushed pushed = fake.push(press);

        JsonNode answer = json(pushed.body());
        assertThat(answer.get("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(answer.get("callback_query_id").asText()).isEqualTo(press.at("/callback_query/id").asText());
        assertThat(fake.calls("answerCallbackQuery")).singleElement().satisfies(c -> assertThat(c.fromWebhookAnswer()).isTrue());
    }

    @Test
    void unknown_update_kinds_are_answered_200_and_ignored() {
        // privacy mode would withhold the group's edited small talk: this bot reads every message
        fake.privacy(false);
        start();
        ObjectNode reaction = FakeBotApi.sample("message_reaction.json");

        assertThat(fake.push(reaction).status()).isEqualTo(200);
        assertThat(fake.push(FakeBotApi.sample("edited_message.json")).status()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isZero();
    }

    @Test
    void a_body_that_is_not_an_update_is_400() {
        start();
        Http webhook = new Http("http://localhost:" + app.convene.port(), null);
        String secret = fake.webhookSecret();
        okhttp3.Request request = new okhttp3.Request.Builder().url("http://localhost:" + app.convene.port() + "/webhooks/telegram")
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .post(okhttp3.RequestBody.create("{\"hello\":1}", okhttp3.MediaType.get("application/json"))).build();
        try (okhttp3.Response r = new okhttp3.OkHttpClient().newCall(request).execute()) {
            assertThat(r.code()).isEqualTo(400);
            assertThat(Http.JSON.readTree(r.body().string()).at("/error/code").asText()).isEqualTo("malformed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(webhook.get("/health").status()).isEqualTo(200);
    }

    @Test
    void the_bot_added_to_an_unbound_group_stores_nothing_and_a_bound_group_follows_join_kick_and_migration() {
        start();
        long unit = app.unit("Chi bộ 5");
        fake.push(fake.botAddedUpdate("-4012345678", "Chi bộ 5"));
        assertThat(count("SELECT COUNT(*) FROM chats")).isZero();

        fake.push(fake.textUpdate("-4012345678", LAN, "/link " + linkCode(unit)));
        fake.push(fake.botKickedUpdate("-4012345678"));
        assertThat(chats(unit).get(0).get("state").asText()).isEqualTo("left");

        fake.push(fake.botAddedUpdate("-4012345678", "Chi bộ 5"));
        assertThat(chats(unit).get(0).get("state").asText()).isEqualTo("active");

        fake.push(fake.migrateUpdate("-4012345678", "-1001557912345"));
        assertThat(chats(unit).get(0).get("chatId").asText()).isEqualTo("-1001557912345");
    }
}
