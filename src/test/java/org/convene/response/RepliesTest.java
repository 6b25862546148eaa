package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ten members answer in a local chat by buttons and by words; the secretary's view is exactly right. */
class RepliesTest {
    static final String CHAT = "c10";
    TestConvene app;
    long unit;
    long meeting;
    JsonNode agenda;
    final Map<String, Long> ids = new HashMap<>();

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ 10");
        for (String name : List.of("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh", "Nga")) {
            ids.put(name, app.member(unit, name, "u-" + name));
        }
        app.localChat(unit, CHAT);
        meeting = app.meeting(unit, "2026-12-05T08:00:00", List.of("P4D", Map.of("offset", "P1D", "kind", "chase"))).get("id").asLong();
        app.advance(Duration.ZERO);
        await("agenda posted", () -> app.localMessages(CHAT).size() == 1);
        agenda = app.localMessages(CHAT).get(0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void ten_members_answer_by_buttons_and_words_and_the_summary_and_rows_are_exact() {
        press("An", 0);                      // received only
        press("Bình", 1);                    // coming
        press("Chi", 2);                     // can't come → asked why
        say("Dũng", "Có mặt ạ");            // coming
        say("Giang", "đã nhận");             // received
        say("Hà", "Vắng vì ốm");             // can't come, sick
        say("Khánh", "xin vắng: đi rừng");   // can't come, work
        // Linh, Minh and Nga say nothing that counts
        say("Linh", "mai họp mấy giờ vậy?");
        say("Minh", "vâng");

        JsonNode r = responses();
        assertThat(r.get("summary").toString()).isEqualTo("{\"invited\":10,\"received\":7,\"yes\":2,\"no\":3,\"noReply\":3,\"observers\":0}");
        assertThat(row(r, "An").get("rsvp").isNull()).isTrue();
        assertThat(row(r, "An").get("receivedAt").isNull()).isFalse();
        assertThat(row(r, "Bình").get("rsvp").asText()).isEqualTo("yes");
        assertThat(row(r, "Dũng").get("source").asText()).isEqualTo("text");
        assertThat(row(r, "Hà").get("reasonCode").asText()).isEqualTo("sick");
        assertThat(row(r, "Hà").get("reason").asText()).isEqualTo("ốm");
        assertThat(row(r, "Khánh").get("reasonCode").asText()).isEqualTo("work");
        assertThat(row(r, "Khánh").get("reason").asText()).isEqualTo("đi rừng");
        assertThat(row(r, "Linh").get("receivedAt").isNull()).isTrue();
        assertThat(row(r, "Minh").get("receivedAt").isNull()).isTrue();
        assertThat(row(r, "An").get("sentAt").asText()).startsWith("2026-12-01T01:00");
    }

    @Test
    void cant_come_asks_that_member_why_and_the_answer_is_stored_as_the_reason() {
        press("Chi", 2);
        await("the reason question", () -> botMessages().size() == 2 && questionRecorded());
        JsonNode question = botMessages().get(1);
        assertThat(question.get("text").asText()).startsWith("Chi, đồng chí vắng vì lý do gì?");
        assertThat(question.get("mentions")).extracting(JsonNode::asText).containsExactly("u-Chi");
        assertThat(question.get("buttons")).hasSize(5);

        app.api.post("/api/v1/local/chats/" + CHAT + "/say", Map.of("userId", "u-Bình", "userName", "Bình", "text", "đi họp lớp",
                "replyToMessageId", question.get("messageId").asLong()));
        assertThat(row(responses(), "Bình").get("rsvp").isNull()).as("someone else's reply to Chi's question").isTrue();

        app.api.post("/api/v1/local/chats/" + CHAT + "/say", Map.of("userId", "u-Chi", "userName", "Chi", "text", "Con bị sốt",
                "replyToMessageId", question.get("messageId").asLong()));
        JsonNode chi = row(responses(), "Chi");
        assertThat(chi.get("rsvp").asText()).isEqualTo("no");
        assertThat(chi.get("reason").asText()).isEqualTo("Con bị sốt");
        assertThat(chi.get("reasonCode").asText()).isEqualTo("sick");

        press("Chi", 2);
        app.advance(Duration.ofSeconds(10));
        assertThat(botMessages().stream().filter(m -> m.get("text").asText().contains("lý do gì")).count())
                .as("asked once per meeting").isEqualTo(1);
    }

    @Test
    void a_reason_button_answers_the_question() {
        press("Chi", 2);
        await("the reason question", () -> botMessages().size() == 2 && questionRecorded());
        JsonNode question = botMessages().get(1);
        Http.Reply answer = app.api.post("/api/v1/local/chats/" + CHAT + "/press", Map.of("messageId", question.get("messageId").asLong(),
                "buttonId", question.at("/buttons/2/id").asText(), "userId", "u-Chi", "userName", "Chi"));
        assertThat(answer.body().get("answer").asText()).contains("lý do");
        assertThat(row(responses(), "Chi").get("reasonCode").asText()).isEqualTo("travel");
    }

    @Test
    void small_talk_gets_no_bot_message() {
        app.advance(Duration.ofSeconds(10));
        int before = botMessages().size();
        say("Linh", "Chào cả nhà");
        say("Minh", "mai trời mưa không?");
        say("Nga", "👍");
        app.advance(Duration.ofSeconds(10));
        assertThat(botMessages()).hasSize(before);
        assertThat(responses().at("/summary/received").asInt()).isZero();
    }

    @Test
    void the_tally_is_edited_at_most_once_per_five_seconds_and_shows_the_latest_counts() {
        press("An", 0);
        await("first edit", () -> editCount() == 1);
        press("Bình", 1);
        press("Chi", 1);
        say("Dũng", "có");
        app.advance(Duration.ofSeconds(4));
        assertThat(editCount()).as("still within 5 s of the last edit").isEqualTo(1);
        app.advance(Duration.ofSeconds(1));
        await("second edit", () -> editCount() == 2);
        app.advance(Duration.ofSeconds(30));
        assertThat(editCount()).as("three answers in a burst make one edit").isEqualTo(2);
        assertThat(app.localMessages(CHAT).get(0).get("text").asText()).endsWith("✅ 4/10 đã nhận · 🙋 3 tham dự · 🚫 0 vắng");
        assertThat(app.localMessages(CHAT).get(0).get("text").asText()).doesNotContain("Bình");
    }

    @Test
    void a_unit_may_show_names_in_the_groups_tally() {
        assertThat(app.api.patch("/api/v1/units/" + unit, Map.of("showNamesInGroup", true)).body().get("showNamesInGroup").asBoolean()).isTrue();
        press("Bình", 1);
        say("Hà", "Vắng vì ốm");
        app.advance(Duration.ofSeconds(5));
        await("the tally with names", () -> app.localMessages(CHAT).get(0).get("text").asText().endsWith("🙋 Bình\n🚫 Hà (ốm)"));
        assertThat(app.api.patch("/api/v1/units/" + unit, Map.of("locale", "fr")).status()).isEqualTo(422);
    }

    @Test
    void a_chase_mentions_exactly_those_who_did_not_answer() {
        for (String name : List.of("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh")) press(name, 1);
        app.advance(Duration.ofDays(3)); // 08:00 on the 4th: the P1D chase
        await("the chase", () -> botMessages().stream().anyMatch(m -> m.get("text").asText().startsWith("🔔")));
        JsonNode chase = botMessages().stream().filter(m -> m.get("text").asText().startsWith("🔔")).findFirst().orElseThrow();
        assertThat(chase.get("text").asText()).contains("Linh, Minh, Nga").doesNotContain("An,");
        assertThat(chase.get("mentions")).extracting(JsonNode::asText).containsExactly("u-Linh", "u-Minh", "u-Nga");
    }

    @Test
    void a_chase_is_skipped_when_everyone_answered_and_the_secretary_can_chase_from_the_api() {
        for (String name : List.of("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Minh")) press(name, 0);
        Http.Reply chase = app.api.post("/api/v1/meetings/" + meeting + "/chase", Map.of());
        assertThat(chase.body().get("chats").asInt()).isEqualTo(1);
        await("the secretary's chase", () -> botMessages().stream().anyMatch(m -> m.get("text").asText().startsWith("🔔")));
        press("Nga", 0);
        app.advance(Duration.ofDays(3));
        long chases = botMessages().stream().filter(m -> m.get("text").asText().startsWith("🔔")).count();
        assertThat(chases).as("the planned chase found nobody to name").isEqualTo(1);
        assertThat(app.api.post("/api/v1/meetings/" + meeting + "/chase", Map.of()).body().get("chats").asInt()).isZero();
    }

    @Test
    void attendance_is_prefilled_from_the_answers_and_correctable() {
        press("Bình", 1);
        say("Hà", "Vắng vì ốm");
        say("Linh", "không tham gia");
        app.advance(Duration.ofDays(5));
        Map<String, String> pre = attendance();
        assertThat(pre.get("Bình")).isEqualTo("present");
        assertThat(pre.get("Hà")).isEqualTo("excused");
        assertThat(pre.get("Linh")).as("no reason given").isEqualTo("absent");
        assertThat(pre.get("An")).isEqualTo("absent");

        Http.Reply put = app.api.put("/api/v1/meetings/" + meeting + "/attendance",
                List.of(Map.of("memberId", ids.get("Bình"), "status", "absent"), Map.of("memberId", ids.get("An"), "status", "present")));
        assertThat(put.status()).isEqualTo(200);
        Map<String, String> after = attendance();
        assertThat(after.get("Bình")).isEqualTo("absent");
        assertThat(after.get("An")).isEqualTo("present");
        assertThat(after.get("Hà")).isEqualTo("excused");
        assertThat(row(responses(), "An").get("attendance").asText()).isEqualTo("present");
    }

    @Test
    void a_reply_taken_by_phone_is_marked_as_the_secretarys() {
        Http.Reply r = app.api.post("/api/v1/meetings/" + meeting + "/responses", Map.of("memberId", ids.get("Nga"), "rsvp", "no",
                "reason", "Đi công tác tỉnh", "reasonCode", "work"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode nga = row(responses(), "Nga");
        assertThat(nga.get("source").asText()).isEqualTo("secretary");
        assertThat(nga.get("reasonCode").asText()).isEqualTo("work");
    }

    /** The phone shows the question a moment before Convene has recorded its message id; replies come after. */
    private boolean questionRecorded() {
        for (JsonNode d : app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body()) {
            if (d.get("kind").asText().equals("question") && d.get("state").asText().equals("sent")) return true;
        }
        return false;
    }

    private void press(String name, int button) {
        Http.Reply r = app.api.post("/api/v1/local/chats/" + CHAT + "/press", Map.of("messageId", agenda.get("messageId").asLong(),
                "buttonId", agenda.at("/buttons/" + button + "/id").asText(), "userId", "u-" + name, "userName", name));
        assertThat(r.status()).isEqualTo(200);
    }

    private void say(String name, String text) {
        assertThat(app.api.post("/api/v1/local/chats/" + CHAT + "/say", Map.of("userId", "u-" + name, "userName", name, "text", text)).status())
                .isEqualTo(201);
    }

    private JsonNode responses() {
        return app.api.get("/api/v1/meetings/" + meeting + "/responses").body();
    }

    private List<JsonNode> botMessages() {
        List<JsonNode> bot = new ArrayList<>();
        for (JsonNode m : app.localMessages(CHAT)) if (m.get("from").asText().equals("bot")) bot.add(m);
        return bot;
    }

    private int editCount() {
        return app.localMessages(CHAT).get(0).get("editCount").asInt();
    }

    private Map<String, String> attendance() {
        Map<String, String> byName = new HashMap<>();
        for (JsonNode row : app.api.get("/api/v1/meetings/" + meeting + "/attendance").body()) byName.put(row.get("name").asText(), row.get("status").asText());
        return byName;
    }

    static JsonNode row(JsonNode responses, String name) {
        for (JsonNode m : responses.get("members")) if (m.get("name").asText().equals(name)) return m;
        throw new AssertionError(name + " not in " + responses);
    }
}
