package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.chat.telegram.TelegramWebhookTest.json;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.delivery.Dispatcher;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's "Done when", end to end: a running Convene in webhook mode, the fake Bot API in Telegram's
 * place, two groups linked with {@code /link CODE}, and an agenda with its PDF going out through the
 * dispatcher on the test's clock.
 */
class TelegramDoneWhenTest {
    static final String SUPERGROUP = "-1001234567890";
    static final String GROUP = "-4012345678";
    static final String UPGRADED = "-1001557912345";
    static final FakeBotApi.User LAN = new FakeBotApi.User(5550001, "Lan", "lan_tran");
    static final String TITLE = "Họp <quý IV> & tổng kết";

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;
    long unit;
    long lan;
    long meetingId;

    @BeforeEach
    void twoLinkedGroupsAndAMeetingWithItsPdf() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        unit = app.unit("Chi bộ khu Lạc Thanh");
        lan = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", "5550001"))
                .body().get("id").asLong();
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Văn Minh", "telegramUserId", "5550002"));
        for (String chat : List.of(SUPERGROUP, GROUP)) {
            fake.push(fake.botAddedUpdate(chat, "Chi bộ khu Lạc Thanh"));
            String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
            assertThat(fake.push(fake.textUpdate(chat, LAN, "/link " + code)).status()).isEqualTo(200);
        }
        assertThat(chats()).extracting(c -> c.get("chatId").asText()).containsExactly(SUPERGROUP, GROUP);
        // the agenda is due in 10 s: the meeting starts in 3 h, the agenda 2 h 59 min 50 s before it
        JsonNode meeting = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", TITLE, "startsAt", "2026-12-01T11:00:00",
                "location", "Nhà văn hoá", "agenda", List.of(Map.of("title", "Báo cáo <tình hình> & nhiệm vụ")),
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")))).body();
        meetingId = meeting.get("id").asLong();
        assertThat(app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf").status())
                .isEqualTo(201);
    }

    @AfterEach
    void stop() {
        app.close();
        fake.close();
    }

    private JsonNode chats() {
        return app.api.get("/api/v1/units/" + unit + "/chats").body();
    }

    private long chatRowId(String telegramChatId) {
        for (JsonNode c : chats()) if (c.get("chatId").asText().equals(telegramChatId)) return c.get("id").asLong();
        throw new AssertionError("no chat " + telegramChatId + " in " + chats());
    }

    private List<JsonNode> deliveries(long chatRowId) {
        List<JsonNode> rows = new ArrayList<>();
        app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body().forEach(d -> {
            if (d.get("chatId").asLong() == chatRowId) rows.add(d);
        });
        return rows;
    }

    private boolean allSettled() {
        JsonNode rows = app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body();
        if (rows.isEmpty()) return false;
        for (JsonNode d : rows) if (!List.of("sent", "failed").contains(d.get("state").asText())) return false;
        return true;
    }

    /** The agenda: the bot's message in the chat that carries buttons. */
    private FakeBotApi.Posted agenda(String chatId) {
        return fake.messages(chatId).stream().filter(m -> m.fileId == null && !m.buttonData().isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no agenda in " + chatId));
    }

    private long historyRows() {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM response_history WHERE meeting_id = :m").bind("m", meetingId).mapTo(Long.class).one());
    }

    private void agendaGoesOut() {
        app.advance(Duration.ofSeconds(10));
        await("agenda and PDF settled in both groups", this::allSettled);
    }

    @Test
    void a_reminder_posts_valid_html_with_three_buttons_to_both_groups_and_the_pdf_is_uploaded_once() {
        agendaGoesOut();

        for (String chat : List.of(SUPERGROUP, GROUP)) {
            FakeBotApi.Posted agenda = agenda(chat);
            assertThat(agenda.text).contains(TITLE, "Báo cáo <tình hình> & nhiệm vụ", "Nhà văn hoá", "Nghị quyết.pdf");
            assertThat(agenda.html).contains("Họp &lt;quý IV&gt; &amp; tổng kết").doesNotContain("<quý");
            assertThat(FakeBotApi.visible(agenda.html)).isEqualTo(agenda.text);
            assertThat(agenda.replyMarkup.at("/inline_keyboard/0")).extracting(b -> b.get("text").asText())
                    .containsExactly("✅ Đã nhận", "🙋 Sẽ tham dự", "🚫 Xin vắng");
            assertThat(agenda.buttonData()).allSatisfy(d -> assertThat(d).matches("r:" + meetingId + ":[ayn]:[A-Za-z0-9_-]+"));
        }
        List<FakeBotApi.Call> documents = fake.calls("sendDocument");
        assertThat(documents).hasSize(2);
        assertThat(documents.get(0).files().get("document").bytes()).isEqualTo(Samples.pdf());
        assertThat(documents.get(1).files()).as("the second group gets the file by id").isEmpty();
        String fileId = fake.uploads().keySet().iterator().next();
        assertThat(documents.get(1).text("document")).isEqualTo(fileId);
        assertThat(fake.uploads()).hasSize(1);
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body())
                .extracting(d -> d.get("state").asText()).containsOnly("sent");
    }

    @Test
    void a_members_press_is_answered_once_and_recorded_and_the_same_update_twice_is_processed_once() {
        agendaGoesOut();
        FakeBotApi.Posted agenda = agenda(SUPERGROUP);
        ObjectNode press = fake.pressUpdate(agenda, LAN, agenda.buttonData().getFirst());

        FakeBotApi.Pushed first = fake.push(press);
        FakeBotApi.Pushed again = fake.push(press);

        assertThat(json(first.body()).get("text").asText()).isEqualTo("Đã ghi nhận: đồng chí đã nhận tài liệu.");
        assertThat(again.status()).isEqualTo(200);
        // Telegram delivers a press again only when the first answer did not reach it, and with it went the
        // callback's answer: the member's button still spins, so the repeat is answered again, and recorded once
        assertThat(json(again.body()).get("text").asText()).isEqualTo("Đã ghi nhận: đồng chí đã nhận tài liệu.");
        assertThat(fake.calls("answerCallbackQuery")).hasSize(2);
        JsonNode responses = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(responses.at("/summary/received").asInt()).isEqualTo(1);
        JsonNode row = member(responses, lan);
        assertThat(row.get("receivedAt").isNull()).isFalse();
        assertThat(row.get("source").asText()).isEqualTo("button");
        assertThat(historyRows()).isEqualTo(1);
    }

    @Test
    void a_press_with_a_forged_secret_gets_403_and_changes_nothing() {
        agendaGoesOut();
        FakeBotApi.Posted agenda = agenda(SUPERGROUP);

        FakeBotApi.Pushed forged = fake.push(fake.pressUpdate(agenda, LAN, agenda.buttonData().get(1)), "guessed-secret");

        assertThat(forged.status()).isEqualTo(403);
        assertThat(json(forged.body()).at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body().at("/summary/received").asInt()).isZero();
        assertThat(historyRows()).isZero();
        assertThat(fake.calls("answerCallbackQuery")).isEmpty();
    }

    @Test
    void a_429_with_retry_after_2_holds_every_send_until_the_clock_has_moved_2_seconds() {
        fake.tooManyRequests("sendMessage", 1, 2);
        int before = fake.calls("sendMessage").size();
        Dispatcher dispatcher = app.convene.services().dispatcher();

        app.advance(Duration.ofSeconds(10));
        // the dispatcher has taken in the 429 once the delivery carries Telegram's words
        await("the first send meets the 429", () -> app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()
                .findValuesAsText("lastError").contains("Too Many Requests: retry after 2"));
        dispatcher.drainOnce();
        app.clock.advance(Duration.ofMillis(1999));
        dispatcher.drainOnce();

        assertThat(fake.calls("sendMessage")).hasSize(before + 1);
        assertThat(fake.calls("sendDocument")).isEmpty();

        app.advance(Duration.ofMillis(1));
        await("everything sent once the 2 s have passed", this::allSettled);
        assertThat(fake.calls("sendMessage")).hasSize(before + 3);
        assertThat(fake.calls("sendDocument")).hasSize(2);
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body())
                .extracting(d -> d.get("state").asText()).containsOnly("sent");
    }

    @Test
    void a_kicked_groups_delivery_is_failed_with_telegrams_words_and_the_chat_is_left() {
        fake.kick(GROUP);

        agendaGoesOut();

        List<JsonNode> kicked = deliveries(chatRowId(GROUP));
        assertThat(kicked).extracting(d -> d.get("state").asText()).containsOnly("failed");
        assertThat(kicked.stream().filter(d -> d.get("kind").asText().equals("agenda")).findFirst().orElseThrow().get("lastError").asText())
                .isEqualTo("Forbidden: bot was kicked from the group chat");
        assertThat(deliveries(chatRowId(SUPERGROUP))).extracting(d -> d.get("state").asText()).containsOnly("sent");
        assertThat(chats()).filteredOn(c -> c.get("chatId").asText().equals(GROUP)).singleElement()
                .satisfies(c -> assertThat(c.get("state").asText()).isEqualTo("left"));
    }

    @Test
    void a_migrated_group_gets_the_message_at_its_new_id_and_the_chat_shows_the_new_id() {
        fake.migrate(GROUP, UPGRADED);

        agendaGoesOut();

        assertThat(agenda(UPGRADED).text).contains(TITLE);
        assertThat(fake.messages(UPGRADED)).filteredOn(m -> m.fileId != null).hasSize(1);
        assertThat(deliveries(chatRowId(UPGRADED))).extracting(d -> d.get("state").asText()).containsOnly("sent");
        assertThat(chats()).extracting(c -> c.get("chatId").asText()).containsExactly(SUPERGROUP, UPGRADED);
    }

    static JsonNode member(JsonNode responses, long memberId) {
        for (JsonNode m : responses.get("members")) if (m.get("memberId").asLong() == memberId) return m;
        throw new AssertionError("member " + memberId + " not in " + responses);
    }
}
