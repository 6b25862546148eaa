package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reply flows in a Telegram group through the Bot API stand-in: buttons, words, the reason question, the tally, a chase. */
class TelegramRepliesTest {
    static final String GROUP = "-1009876543210";
    static final FakeBotApi.User AN = new FakeBotApi.User(7001, "An", "an_ng");
    static final FakeBotApi.User BINH = new FakeBotApi.User(7002, "Bình", null);
    static final FakeBotApi.User CHI = new FakeBotApi.User(7003, "Chi", null);
    static final FakeBotApi.User DUNG = new FakeBotApi.User(7004, "Dũng", null);

    final FakeBotApi fake = new FakeBotApi().privacy(false);
    TestConvene app;
    long meetingId;
    FakeBotApi.Posted agenda;

    @BeforeEach
    void aLinkedGroupWithItsAgenda() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        long unit = app.unit("Chi bộ 7");
        int i = 0;
        for (String name : List.of("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh")) {
            app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", name, "telegramUserId", String.valueOf(7001 + i++)));
        }
        app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "telegram", "chatId", GROUP, "title", "Chi bộ 7"));
        meetingId = app.meeting(unit, "2026-12-05T08:00:00", List.of("P4D", Map.of("offset", "P1D", "kind", "chase"))).get("id").asLong();
        app.advance(Duration.ZERO);
        await("agenda posted", () -> fake.messages(GROUP).size() == 1);
        agenda = fake.messages(GROUP).get(0);
    }

    private boolean allSent() {
        for (JsonNode d : app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()) {
            if (d.get("kind").asText().equals("question") && !d.get("state").asText().equals("sent")) return false;
        }
        return true;
    }

    @AfterEach
    void stop() {
        app.close();
        fake.close();
    }

    @Test
    void buttons_and_words_are_recorded_the_reason_question_is_answered_and_the_tally_is_edited() {
        assertThat(fake.push(fake.pressUpdate(agenda, AN, agenda.buttonData().get(0))).status()).isEqualTo(200);
        fake.push(fake.textUpdate(GROUP, BINH, "Có mặt ạ"));
        fake.push(fake.textUpdate(GROUP, CHI, "Vắng vì ốm"));
        fake.push(fake.pressUpdate(agenda, DUNG, agenda.buttonData().get(2)));
        fake.push(fake.textUpdate(GROUP, new FakeBotApi.User(7005, "Giang", null), "hôm nay trời đẹp quá"));
        await("the reason question for Dũng", () -> fake.messages(GROUP).size() == 2);
        // Telegram has the message a moment before the outbox records its message id, which a reply to it is matched by
        await("the question recorded as sent", () -> app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body().findValues("kind")
                .stream().anyMatch(k -> k.asText().equals("question")) && allSent());
        FakeBotApi.Posted question = fake.messages(GROUP).get(1);
        // Telegram has the message before Convene has recorded its id; a reply can only come after that
        await("the question's delivery recorded", () -> {
            for (JsonNode d : app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()) {
                if (d.get("kind").asText().equals("question") && d.get("state").asText().equals("sent")) return true;
            }
            return false;
        });
        assertThat(question.html).startsWith("<a href=\"tg://user?id=7004\">Dũng</a>, đồng chí vắng vì lý do gì?");
        assertThat(question.buttonData()).hasSize(5);

        ObjectNode reply = fake.textUpdate(GROUP, DUNG, "đi công tác Hà Nội");
        ((ObjectNode) reply.get("message")).putObject("reply_to_message").put("message_id", question.messageId)
                .put("date", 1760000000).putObject("chat").put("id", Long.parseLong(GROUP)).put("type", "supergroup");
        assertThat(fake.push(reply).status()).isEqualTo(200);

        JsonNode r = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(r.get("summary").toString()).isEqualTo("{\"invited\":7,\"received\":4,\"yes\":1,\"no\":2,\"noReply\":3,\"observers\":0}");
        assertThat(row(r, "Dũng").get("reasonCode").asText()).isEqualTo("work");
        assertThat(row(r, "Dũng").get("reason").asText()).isEqualTo("đi công tác Hà Nội");
        assertThat(row(r, "Chi").get("reasonCode").asText()).isEqualTo("sick");
        assertThat(fake.messages(GROUP)).as("small talk gets no bot message").hasSize(2);

        app.advance(Duration.ofSeconds(5));
        await("the tally edited into the agenda", () -> agenda.text.endsWith("✅ 4/7 đã nhận · 🙋 1 tham dự · 🚫 2 vắng"));
        assertThat(agenda.edits).isLessThanOrEqualTo(2);
        assertThat(agenda.buttonData()).hasSize(3);
    }

    @Test
    void a_typed_answer_in_the_group_gets_a_reaction_on_it_and_no_message_to_everyone() {
        com.fasterxml.jackson.databind.node.ObjectNode said = fake.textUpdate(GROUP, BINH, "Có mặt ạ");

        assertThat(fake.push(said).status()).isEqualTo(200);

        assertThat(fake.reaction(GROUP, said.at("/message/message_id").asLong())).isEqualTo("👌");
        assertThat(fake.messages(GROUP)).as("only the agenda").hasSize(1);
        assertThat(row(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body(), "Bình").get("rsvp").asText()).isEqualTo("yes");
    }

    @Test
    void small_talk_gets_no_reaction() {
        com.fasterxml.jackson.databind.node.ObjectNode said = fake.textUpdate(GROUP, BINH, "hôm nay trời đẹp quá");

        fake.push(said);

        assertThat(fake.reaction(GROUP, said.at("/message/message_id").asLong())).isNull();
    }

    @Test
    void a_press_delivered_again_is_answered_from_the_stored_answer_not_the_buttons_old_text() {
        com.fasterxml.jackson.databind.node.ObjectNode coming = fake.pressUpdate(agenda, AN, agenda.buttonData().get(1));
        assertThat(TelegramWebhookTest.json(fake.push(coming).body()).get("text").asText()).isEqualTo("Đã ghi nhận: đồng chí sẽ tham dự.");
        fake.push(fake.pressUpdate(agenda, AN, agenda.buttonData().get(2)));

        FakeBotApi.Pushed again = fake.push(coming);

        assertThat(TelegramWebhookTest.json(again.body()).get("text").asText()).isEqualTo("Đã ghi nhận: đồng chí xin vắng.");
        assertThat(row(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body(), "An").get("rsvp").asText()).isEqualTo("no");
    }

    @Test
    void a_chase_mentions_exactly_the_three_who_did_not_answer() {
        for (FakeBotApi.User u : List.of(AN, BINH, CHI, DUNG)) fake.push(fake.pressUpdate(agenda, u, agenda.buttonData().get(1)));
        fake.push(fake.textUpdate(GROUP, new FakeBotApi.User(7005, "Giang", null), "có ai đi chung xe không?"));
        app.advance(Duration.ofDays(3)); // the P1D chase, 08:00 on the 4th
        await("the chase", () -> fake.messages(GROUP).stream().anyMatch(m -> m.text.startsWith("🔔")));
        FakeBotApi.Posted chase = fake.messages(GROUP).stream().filter(m -> m.text.startsWith("🔔")).findFirst().orElseThrow();
        assertThat(chase.html).contains("<a href=\"tg://user?id=7005\">Giang</a>, <a href=\"tg://user?id=7006\">Hà</a>, "
                + "<a href=\"tg://user?id=7007\">Khánh</a>").doesNotContain("7001", "7002", "7003", "7004", "an_ng");
    }

    static JsonNode row(JsonNode responses, String name) {
        for (JsonNode m : responses.get("members")) if (m.get("name").asText().equals(name)) return m;
        throw new AssertionError(name + " not in " + responses);
    }
}
