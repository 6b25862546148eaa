package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
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
    void a_second_start_reuses_the_cell_and_its_meeting_and_posts_no_second_agenda() {
        DemoData.Seeded first = new DemoData(app.convene, app.clock).seed();
        app.advance(Duration.ofSeconds(60));
        await("agenda and PDF in the demo chat", () -> app.localMessages(DemoData.CHAT_ID).size() == 2);

        DemoData.Seeded second = new DemoData(app.convene, app.clock).seed();
        app.advance(Duration.ofSeconds(60));

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(second.unitId()).isEqualTo(first.unitId());
        assertThat(second.meetingId()).isEqualTo(first.meetingId());
        assertThat(app.api.get("/api/v1/units").body()).hasSize(4);
        assertThat(app.api.get("/api/v1/units/" + first.unitId() + "/members").body()).hasSize(13);
        assertThat(app.api.get("/api/v1/meetings/" + first.meetingId() + "/deliveries").body().findValuesAsText("kind"))
                .filteredOn("agenda"::equals).hasSize(1);
        assertThat(app.localMessages(DemoData.CHAT_ID)).hasSize(2);
    }

    @Test
    void the_demo_has_three_past_months_in_its_cell_and_two_more_cells_under_a_committee() {
        DemoData.Seeded seeded = new DemoData(app.convene, app.clock).seed();
        long committee = app.api.get("/api/v1/units/" + seeded.unitId()).body().get("parentId").asLong();

        JsonNode rows = app.api.get("/api/v1/reports/units?unitId=" + committee + "&from=2026-09-01&to=2026-11-30").body().get("rows");

        List<String> cells = List.of(DemoData.UNIT_NAME, "Chi bộ khu Hồng Hà", "Chi bộ khu Bạch Đằng");
        for (String month : List.of("2026-09", "2026-10", "2026-11")) {
            for (String cell : cells) {
                JsonNode row = row(rows, cell, month);
                if (cell.equals("Chi bộ khu Bạch Đằng") && month.equals("2026-11")) {
                    assertThat(row.get("noMeeting").asBoolean()).as(cell + " " + month).isTrue();
                } else {
                    assertThat(row.get("meetings").asInt()).as(cell + " " + month).isEqualTo(1);
                    assertThat(row.get("present").asInt()).as(cell + " " + month).isPositive();
                }
            }
        }
        assertThat(row(rows, "Chi bộ khu Hồng Hà", "2026-11").get("belowTarget").asBoolean()).isTrue();
        assertThat(row(rows, DemoData.UNIT_NAME, "2026-11").get("rate").asDouble()).isEqualTo(1.0);
        assertThat(row(rows, DemoData.COMMITTEE_NAME, "2026-10").get("meetings").asInt()).as("the committee sums its cells").isEqualTo(3);
    }

    @Test
    void reset_deletes_a_demo_folder_and_refuses_one_without_a_database(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path demo = java.nio.file.Files.createDirectories(dir.resolve("data-demo").resolve("materials"));
        java.nio.file.Files.writeString(dir.resolve("data-demo").resolve("convene.db"), "x");
        java.nio.file.Path other = java.nio.file.Files.createDirectories(dir.resolve("photos"));
        java.nio.file.Files.writeString(other.resolve("holiday.jpg"), "x");

        DemoData.reset(dir.resolve("data-demo"));

        assertThat(dir.resolve("data-demo")).doesNotExist();
        assertThat(demo).doesNotExist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoData.reset(other)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no convene.db");
        assertThat(other.resolve("holiday.jpg")).exists();
    }

    static JsonNode row(JsonNode rows, String name, String period) {
        for (JsonNode r : rows) if (r.get("name").asText().equals(name) && r.get("period").asText().equals(period)) return r;
        throw new AssertionError(name + " " + period + " not in " + rows);
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
