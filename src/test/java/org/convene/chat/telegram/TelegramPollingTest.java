package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code CONVENE_TELEGRAM_MODE=polling}: the same linking and pressing, with updates fetched by getUpdates. */
class TelegramPollingTest {
    static final String GROUP = "-1001234567890";
    static final FakeBotApi.User LAN = new FakeBotApi.User(5550001, "Lan", "lan_tran");
    static final Map<String, String> ENV = Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_MODE", "polling");

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;

    @BeforeEach
    void aWebhookLeftFromAnEarlierRunInWebhookMode() {
        TelegramClient earlier = new TelegramClient(new okhttp3.OkHttpClient(), fake.url(), FakeBotApi.TOKEN);
        assertThat(earlier.setWebhook("https://convene.example.org/webhooks/telegram", "old-secret")).isInstanceOf(BotApiAnswer.Ok.class);
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private TestConvene startApp() {
        return TestConvene.start(env());
    }

    private Map<String, String> env() {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("CONVENE_TELEGRAM_API_URL", fake.url());
        return env;
    }

    private JsonNode chats(long unit) {
        return app.api.get("/api/v1/units/" + unit + "/chats").body();
    }

    private Optional<String> storedOffset() {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = :n")
                .bind("n", "telegram-polling-offset:" + FakeBotApi.BOT_ID).mapTo(String.class).findOne());
    }

    private String linkCode(long unit) {
        return app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
    }

    @Test
    void link_code_binds_a_group_through_long_polling_after_the_webhook_is_deleted() {
        app = startApp();
        long unit = app.unit("Chi bộ 3");

        var update = fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit));
        fake.enqueue(update);

        await("the group is bound", () -> chats(unit).size() == 1);
        assertThat(chats(unit).get(0).get("chatId").asText()).isEqualTo(GROUP);
        await("the bot confirms", () -> fake.messages(GROUP).size() == 1);
        assertThat(fake.messages(GROUP).getFirst().text).isEqualTo("Đã liên kết nhóm này với Chi bộ 3.");
        List<String> order = fake.calls().stream().map(FakeBotApi.Call::method).filter(m -> !m.equals("sendMessage")).distinct().toList();
        assertThat(order).startsWith("setWebhook", "getMe", "deleteWebhook", "getUpdates");
        assertThat(fake.webhookUrl()).isNull();
        FakeBotApi.Call poll = fake.calls("getUpdates").getFirst();
        assertThat(poll.params().get("timeout").asInt()).isBetween(25, 50);
        assertThat(poll.json("allowed_updates")).extracting(JsonNode::asText).containsExactly("message", "callback_query", "my_chat_member");
        await("the offset is stored after the batch", () -> storedOffset().equals(Optional.of(String.valueOf(update.get("update_id").asLong() + 1))));
    }

    @Test
    void a_press_fetched_by_polling_is_answered_with_its_own_call() {
        app = startApp();
        long unit = app.unit("Chi bộ 3");
        fake.enqueue(fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit)));
        await("the bot confirms", () -> fake.messages(GROUP).size() == 1);

        fake.enqueue(fake.pressUpdate(fake.messages(GROUP).getFirst(), LAN, "r:1:a:not-ours"));

        await("the press is answered", () -> fake.calls("answerCallbackQuery").size() == 1);
        assertThat(fake.calls("answerCallbackQuery").getFirst().fromWebhookAnswer()).isFalse();
    }

    @Test
    void a_restart_neither_loses_nor_repeats_updates_and_close_stops_the_waiting_poll() {
        app = startApp();
        long unit = app.unit("Chi bộ 3");
        fake.enqueue(fake.textUpdate(GROUP, LAN, "/link " + linkCode(unit)));
        await("the first link is confirmed", () -> fake.messages(GROUP).size() == 1);
        await("its offset is stored", () -> storedOffset().isPresent());
        await("the poller waits for more", () -> fake.calls("getUpdates").size() >= 2);
        long second = app.unit("Chi bộ 4");
        String code = linkCode(second);

        String offset = storedOffset().orElseThrow();

        long closing = System.nanoTime();
        app.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("the 30 s poll is cancelled, not waited out").isLessThan(Duration.ofSeconds(4));
        int pollsBefore = fake.calls("getUpdates").size();
        fake.enqueue(fake.textUpdate("-1009876543210", LAN, "/link " + code));
        app = TestConvene.startIn(app.dataDir, app.clock, env(), c -> c);

        await("the update sent while Convene was down is handled", () -> fake.messages("-1009876543210").size() == 1);
        assertThat(fake.calls("getUpdates").get(pollsBefore).params().get("offset").asText()).as("polling resumes at the stored offset")
                .isEqualTo(offset);
        assertThat(fake.messages(GROUP)).as("the first update is not handled again").hasSize(1);
        assertThat(chats(unit)).hasSize(1);
        assertThat(chats(second)).hasSize(1);
    }
}
