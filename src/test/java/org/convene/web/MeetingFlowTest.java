package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole first path through the API alone: unit, members, local chat, meeting, PDF, agenda, a press. */
class MeetingFlowTest {
    TestConvene app;

    @BeforeEach
    void start() {
        app = TestConvene.start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void agenda_with_three_buttons_and_the_pdf_arrive_when_due_and_a_press_is_recorded() {
        long unit = app.unit("Chi bộ khu Lạc Thanh");
        long lan = app.member(unit, "Trần Thị Lan", "u-lan");
        app.member(unit, "Lê Văn Minh", "u-minh");
        app.localChat(unit, "lac-thanh");
        // due in 10 s: the meeting starts in 3 h, the agenda 2 h 59 min 50 s before it
        JsonNode meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")));
        long meetingId = meeting.get("id").asLong();
        assertThat(meeting.get("startsAt").asText()).isEqualTo("2026-12-01T11:00:00+07:00");
        assertThat(meeting.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-01T08:00:10+07:00");
        Http.Reply upload = app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf");
        assertThat(upload.status()).isEqualTo(201);
        assertThat(upload.body().get("mediaType").asText()).isEqualTo("application/pdf");

        app.advance(Duration.ofSeconds(9));
        assertThat(app.localMessages("lac-thanh")).isEmpty();

        app.advance(Duration.ofSeconds(1));
        await("agenda and document in the chat", () -> app.localMessages("lac-thanh").size() == 2);
        JsonNode messages = app.localMessages("lac-thanh");
        JsonNode agenda = messages.get(0);
        assertThat(agenda.get("from").asText()).isEqualTo("bot");
        assertThat(agenda.get("text").asText()).contains("Sinh hoạt chi bộ tháng 12", "Thứ Ba, 01/12/2026 lúc 11:00", "Nhà văn hoá",
                "1. Báo cáo tình hình", "Nghị quyết.pdf");
        assertThat(agenda.get("buttons")).extracting(b -> b.get("label").asText())
                .containsExactly("✅ Đã nhận", "🙋 Sẽ tham dự", "🚫 Xin vắng");
        assertThat(messages.get(1).at("/document/filename").asText()).isEqualTo("Nghị quyết.pdf");

        Http.Reply press = app.api.post("/api/v1/local/chats/lac-thanh/press", Map.of(
                "messageId", agenda.get("messageId").asLong(), "buttonId", agenda.at("/buttons/0/id").asText(),
                "userId", "u-lan", "userName", "Lan"));
        assertThat(press.status()).isEqualTo(200);
        assertThat(press.body().get("answer").asText()).contains("Đã ghi nhận");

        JsonNode responses = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(responses.at("/summary/invited").asInt()).isEqualTo(2);
        assertThat(responses.at("/summary/received").asInt()).isEqualTo(1);
        assertThat(responses.at("/summary/noReply").asInt()).isEqualTo(1);
        JsonNode lanRow = find(responses.get("members"), lan);
        assertThat(lanRow.get("receivedAt").asText()).startsWith("2026-12-01T01:00:10");
        assertThat(lanRow.get("source").asText()).isEqualTo("button");
        assertThat(lanRow.get("rsvp").isNull()).isTrue();

        await("the tally edited into the agenda", () -> app.localMessages("lac-thanh").get(0).get("editCount").asInt() == 1);
        assertThat(app.localMessages("lac-thanh").get(0).get("text").asText()).endsWith("✅ 1/2 đã nhận · 🙋 0 tham dự · 🚫 0 vắng");
        assertThat(app.localMessages("lac-thanh").get(0).get("buttons")).hasSize(3);
        JsonNode deliveries = app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body();
        assertThat(deliveries).extracting(d -> d.get("state").asText()).containsOnly("sent");
        assertThat(deliveries).extracting(d -> d.get("kind").asText()).containsExactly("agenda", "document", "tally");
    }

    @Test
    void an_rsvp_implies_received_and_the_last_answer_wins() {
        long unit = app.unit("Chi bộ 3");
        long an = app.member(unit, "Nguyễn Văn An", "u-an");
        app.localChat(unit, "c3");
        long meetingId = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H")).get("id").asLong();
        app.advance(Duration.ZERO);
        await("agenda posted", () -> app.localMessages("c3").size() == 1);
        JsonNode agenda = app.localMessages("c3").get(0);

        press("c3", agenda, 2, "u-an");
        JsonNode after = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(after.at("/summary/no").asInt()).isEqualTo(1);
        assertThat(after.at("/summary/received").asInt()).isEqualTo(1);

        press("c3", agenda, 1, "u-an");
        JsonNode last = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(last.at("/summary/yes").asInt()).isEqualTo(1);
        assertThat(last.at("/summary/no").asInt()).isZero();
        assertThat(find(last.get("members"), an).get("rsvp").asText()).isEqualTo("yes");
    }

    @Test
    void an_unlinked_account_is_asked_to_link_and_iam_links_it_without_regard_to_diacritics() {
        long unit = app.unit("Chi bộ 4");
        long hung = app.member(unit, "Nguyễn Văn Hùng", null);
        app.localChat(unit, "c4");
        long meetingId = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H")).get("id").asLong();
        app.advance(Duration.ZERO);
        await("agenda posted", () -> app.localMessages("c4").size() == 1);
        JsonNode agenda = app.localMessages("c4").get(0);

        Http.Reply stranger = press("c4", agenda, 0, "phone-77");
        assertThat(stranger.body().get("answer").asText()).contains("/iam");
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body().at("/summary/received").asInt()).isZero();

        app.api.post("/api/v1/local/chats/c4/say", Map.of("userId", "phone-77", "userName", "Hùng", "text", "/iam nguyen van hung"));
        await("bot confirms the link", () -> app.localMessages("c4").size() == 3);
        assertThat(app.localMessages("c4").get(2).get("text").asText()).contains("Nguyễn Văn Hùng");

        press("c4", agenda, 0, "phone-77");
        JsonNode responses = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(find(responses.get("members"), hung).get("receivedAt").isNull()).isFalse();
    }

    private Http.Reply press(String chat, JsonNode message, int button, String userId) {
        Http.Reply r = app.api.post("/api/v1/local/chats/" + chat + "/press", Map.of(
                "messageId", message.get("messageId").asLong(), "buttonId", message.at("/buttons/" + button + "/id").asText(),
                "userId", userId, "userName", userId));
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    static JsonNode find(JsonNode members, long memberId) {
        for (JsonNode m : members) if (m.get("memberId").asLong() == memberId) return m;
        throw new AssertionError("member " + memberId + " not in " + members);
    }
}
