package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FollowUpsTest {
    TestConvene app;
    long unit;
    long meeting;
    long member;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ 5");
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Nguyễn Văn Hùng", "role", "secretary", "localUserId", "u-hung"));
        member = app.member(unit, "Lê Thị Mai", "u-mai");
        app.localChat(unit, "c5");
        meeting = app.meeting(unit, "2026-12-02T19:30:00", List.of()).get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void attendance_unconfirmed_a_day_after_the_meeting_shows_and_the_secretary_is_reminded_once() {
        assertThat(state()).isEqualTo("not-due");
        app.clock.advance(Duration.ofHours(37).plusMinutes(31)); // 21:31 on the 2nd: the meeting is over
        assertThat(state()).isEqualTo("pending");
        assertThat(app.convene.services().followUp().remindOverdue()).isZero();

        app.clock.advance(Duration.ofDays(1));
        assertThat(state()).isEqualTo("overdue");
        assertThat(app.convene.services().followUp().remindOverdue()).isEqualTo(1);
        app.advance(Duration.ZERO);
        await("the reminder in the chat", () -> app.localMessages("c5").size() == 1);
        JsonNode reminder = app.localMessages("c5").get(0);
        assertThat(reminder.get("text").asText()).contains("Nguyễn Văn Hùng", "chưa được xác nhận điểm danh", "02/12/2026");
        assertThat(reminder.get("mentions")).extracting(JsonNode::asText).containsExactly("u-hung");

        assertThat(app.convene.services().followUp().remindOverdue()).as("once").isZero();
        app.api.put("/api/v1/meetings/" + meeting + "/attendance", List.of(Map.of("memberId", member, "status", "present")));
        assertThat(state()).isEqualTo("confirmed");
    }

    private String state() {
        return app.api.get("/api/v1/meetings/" + meeting).body().get("attendance").asText();
    }
}
