package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram's privacy mode, which getMe reports as {@code can_read_all_group_messages: false}: in a group the
 * bot then receives commands, replies to its own messages and service messages, not the plain words members
 * type. The agenda asks for answers as replies to it, and the home page tells how to turn privacy off.
 */
class TelegramPrivacyModeTest {
    static final String GROUP = "-1009876543210";
    static final FakeBotApi.User AN = new FakeBotApi.User(7001, "An", "an_ng");
    static final FakeBotApi.User BINH = new FakeBotApi.User(7002, "Bình", null);

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;
    long unit;
    long meetingId;
    long secretary;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private FakeBotApi.Posted agendaPosted() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        unit = app.unit("Chi bộ 7");
        secretary = app.memberAs(unit, "Hà", "secretary");
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "An", "telegramUserId", "7001"));
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Bình", "telegramUserId", "7002"));
        app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "telegram", "chatId", GROUP, "title", "Chi bộ 7"));
        meetingId = app.meeting(unit, "2026-12-05T08:00:00", List.of("P4D")).get("id").asLong();
        app.advance(Duration.ZERO);
        await("agenda posted", () -> fake.messages(GROUP).size() == 1);
        // a reply is matched by the message id the outbox records once Telegram answered
        await("agenda recorded as sent", () -> app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()
                .findValuesAsText("state").contains("sent"));
        return fake.messages(GROUP).get(0);
    }

    private JsonNode summary() {
        return app.api.get("/api/v1/meetings/" + meetingId + "/responses").body().get("summary");
    }

    @Test
    void in_privacy_mode_the_agenda_asks_for_replies_and_a_reply_counts_where_plain_words_never_arrive() {
        FakeBotApi.Posted agenda = agendaPosted();
        assertThat(agenda.text).contains("Đồng chí vui lòng bấm nút bên dưới để xác nhận, hoặc trả lời tin nhắn này:");

        FakeBotApi.Pushed plain = fake.push(fake.textUpdate(GROUP, AN, "có"));
        FakeBotApi.Pushed reply = fake.push(fake.replyUpdate(agenda, BINH, "vắng vì ốm"));

        assertThat(plain.status()).as("Telegram withholds plain words from a bot in privacy mode").isZero();
        assertThat(fake.withheld()).hasSize(1);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(summary().get("yes").asInt()).isZero();
        assertThat(summary().get("no").asInt()).isEqualTo(1);
    }

    @Test
    void the_edited_agenda_still_asks_for_replies() {
        FakeBotApi.Posted agenda = agendaPosted();

        fake.push(fake.pressUpdate(agenda, AN, agenda.buttonData().getFirst()));
        app.advance(Duration.ofSeconds(5));

        await("the tally edited in", () -> agenda.edits > 0);
        assertThat(agenda.text).contains("trả lời tin nhắn này").contains("✅ 1/3 đã nhận");
    }

    @Test
    void with_privacy_off_the_agenda_asks_only_for_a_tap_and_plain_words_count() {
        fake.privacy(false);
        FakeBotApi.Posted agenda = agendaPosted();
        assertThat(agenda.text).contains("Đồng chí vui lòng bấm nút bên dưới để xác nhận.").doesNotContain("trả lời tin nhắn này");

        assertThat(fake.push(fake.textUpdate(GROUP, AN, "có")).status()).isEqualTo(200);

        assertThat(summary().get("yes").asInt()).isEqualTo(1);
    }

    @Test
    void a_bot_made_admin_of_the_group_receives_plain_words_in_privacy_mode() {
        agendaPosted();
        fake.makeAdmin(GROUP);

        assertThat(fake.push(fake.textUpdate(GROUP, AN, "có")).status()).isEqualTo(200);

        assertThat(summary().get("yes").asInt()).isEqualTo(1);
    }

    @Test
    void the_home_page_tells_how_to_turn_privacy_off_or_make_the_bot_an_admin() {
        agendaPosted();
        WebClient web = new WebClient("http://localhost:" + app.convene.port());
        web.signIn(app.api.post("/api/v1/units/" + unit + "/members/" + secretary + "/login-link", "").body().get("url").asText());

        String home = web.get("/").body();

        assertThat(home).contains("data-testid=\"platform-notice-telegram_privacy\"", "chế độ riêng tư", "/setprivacy", "@BotFather",
                "quản trị viên của nhóm", "https://core.telegram.org/bots/features#privacy-mode");
    }

    @Test
    void commands_addressed_to_another_bot_are_withheld_and_those_for_this_bot_arrive() {
        agendaPosted();

        assertThat(fake.push(fake.textUpdate(GROUP, AN, "/next@some_other_bot")).status()).isZero();
        assertThat(fake.push(fake.textUpdate(GROUP, AN, "/next@" + FakeBotApi.BOT_USERNAME)).status()).isEqualTo(200);
        assertThat(fake.push(fake.textUpdate(GROUP, AN, "/next")).status()).isEqualTo(200);
    }
}
