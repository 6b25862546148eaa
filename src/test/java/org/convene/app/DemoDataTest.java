package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What `./convene demo` seeds: the agenda reaches the local chat about a minute after start and a press shows in responses. */
class DemoDataTest {
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
    void the_demo_agenda_arrives_a_minute_after_start_and_pressing_received_shows_in_responses() {
        DemoData.Seeded seeded = new DemoData(app.convene, app.clock).seed();
        JsonNode members = app.api.get("/api/v1/units/" + seeded.unitId() + "/members").body();
        assertThat(members).hasSize(13);
        assertThat(members.get(0).get("name").asText()).isEqualTo("Nguyễn Văn Hùng");
        assertThat(members.get(0).get("role").asText()).isEqualTo("secretary");

        app.advance(Duration.ofSeconds(59));
        assertThat(app.localMessages(DemoData.CHAT_ID)).isEmpty();
        app.advance(Duration.ofSeconds(1));
        await("agenda and PDF in the demo chat", () -> app.localMessages(DemoData.CHAT_ID).size() == 2);
        JsonNode agenda = app.localMessages(DemoData.CHAT_ID).get(0);
        assertThat(agenda.get("text").asText()).contains("Chi bộ khu Lạc Thanh", "Quán triệt nghị quyết", "chuong-trinh-sinh-hoat.pdf");

        Http.Reply press = app.api.post("/api/v1/local/chats/" + DemoData.CHAT_ID + "/press", Map.of(
                "messageId", agenda.get("messageId").asLong(), "buttonId", agenda.at("/buttons/0/id").asText(),
                "userId", "u3", "userName", "Lê Văn Minh"));
        assertThat(press.body().get("answer").asText()).contains("Đã ghi nhận");
        JsonNode responses = app.api.get("/api/v1/meetings/" + seeded.meetingId() + "/responses").body();
        assertThat(responses.at("/summary/received").asInt()).isEqualTo(1);
        assertThat(MeetingRows.named(responses, "Lê Văn Minh").get("receivedAt").isNull()).isFalse();
    }

    @Test
    void a_second_start_reuses_the_cell_and_schedules_a_fresh_meeting() {
        DemoData.Seeded first = new DemoData(app.convene, app.clock).seed();
        DemoData.Seeded second = new DemoData(app.convene, app.clock).seed();
        assertThat(second.unitId()).isEqualTo(first.unitId());
        assertThat(second.meetingId()).isNotEqualTo(first.meetingId());
        assertThat(app.api.get("/api/v1/units").body()).hasSize(1);
        assertThat(app.api.get("/api/v1/units/" + first.unitId() + "/members").body()).hasSize(13);
    }

    @Test
    void the_local_page_lists_the_demo_chat_and_its_linked_members() {
        DemoData.Seeded seeded = new DemoData(app.convene, app.clock).seed();
        Http.Reply page = app.api.get("/local");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.text()).contains("data-testid=\"messages\"", "data-testid=\"acting-as\"");
        JsonNode chats = app.api.get("/api/v1/local/chats").body();
        assertThat(chats).hasSize(1);
        assertThat(chats.get(0).get("title").asText()).isEqualTo("Chi bộ Lạc Thanh 🏡");
        assertThat(chats.get(0).get("people")).hasSize(13);
        assertThat(seeded.meetingId()).isPositive();
    }

    /** Finds a member's row by name in a responses answer. */
    static final class MeetingRows {
        static JsonNode named(JsonNode responses, String name) {
            for (JsonNode m : responses.get("members")) if (m.get("name").asText().equals(name)) return m;
            throw new AssertionError(name + " not in " + responses);
        }
    }
}
