package org.convene.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A province → district → committee → three cells, driven through the API alone. */
class CommitteesTest {
    TestConvene app;
    long province;
    long district;
    long committee;
    final long[] cells = new long[3];
    final List<List<Long>> members = new ArrayList<>();

    @BeforeEach
    void start() {
        app = TestConvene.start();
        province = app.unit("Tỉnh uỷ");
        district = child(province, "Huyện uỷ");
        committee = child(district, "Đảng uỷ xã");
        for (int c = 0; c < 3; c++) {
            cells[c] = child(committee, "Chi bộ " + (c + 1));
            List<Long> ids = new ArrayList<>();
            for (int m = 0; m < 3; m++) ids.add(app.member(cells[c], "Đảng viên " + (c + 1) + "." + (m + 1), "u" + c + m));
            members.add(ids);
            app.localChat(cells[c], "chat" + c);
        }
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_topic_pushed_from_the_committee_appears_in_all_three_cells_next_agendas() {
        long m0 = meeting(cells[0], "2026-12-12T19:30", List.of("P1D"));
        long m1 = meeting(cells[1], "2026-12-12T18:00", List.of("P1D"));
        Http.Reply pushed = app.api.post("/api/v1/units/" + committee + "/topics", Map.of("title", "Học tập Nghị quyết Trung ương 10", "quarter", "2026-Q4"));
        assertThat(pushed.status()).isEqualTo(201);
        assertThat(pushed.body().get("units")).extracting(u -> u.get("meetingId").isNull() ? "none" : u.get("meetingId").asText())
                .containsExactly(String.valueOf(m0), String.valueOf(m1), "none");
        long m2 = meeting(cells[2], "2026-12-12T17:00", List.of("P1D"));
        for (long m : List.of(m0, m1, m2)) {
            JsonNode agenda = app.api.get("/api/v1/meetings/" + m).body().get("agenda");
            assertThat(agenda).extracting(a -> a.get("title").asText()).contains("Học tập Nghị quyết Trung ương 10");
            assertThat(agenda.get(agenda.size() - 1).get("presenter").asText()).isEqualTo("Đảng uỷ xã");
        }
        app.clock.advance(Duration.ofDays(10).plusHours(12)); // the 11th, 20:00: every P1D agenda is due
        app.advance(Duration.ZERO);
        for (int c = 0; c < 3; c++) {
            int chat = c;
            await("agenda in cell " + c, () -> app.localMessages("chat" + chat).size() >= 1);
            assertThat(app.localMessages("chat" + c).get(0).get("text").asText()).contains("Học tập Nghị quyết Trung ương 10");
        }
        assertThat(app.api.post("/api/v1/units/" + cells[0] + "/topics", Map.of("title", "x", "quarter", "2026-Q4")).status())
                .as("a cell has no units below").isEqualTo(422);
    }

    @Test
    void a_pilot_meeting_with_observers_from_two_cells_reaches_their_chats_and_keeps_them_out_of_the_hosts_rate() {
        JsonNode pilot = app.api.post("/api/v1/meetings", Map.of("unitId", cells[0], "title", "Sinh hoạt mẫu", "kind", "pilot",
                "startsAt", "2026-12-01T11:00", "reminders", List.of("PT3H"), "observerUnitIds", List.of(cells[1], cells[2]))).body();
        long id = pilot.get("id").asLong();
        app.advance(Duration.ZERO);
        for (int c = 0; c < 3; c++) {
            int chat = c;
            await("pilot agenda in chat " + c, () -> app.localMessages("chat" + chat).size() == 1);
        }
        JsonNode observerAgenda = app.localMessages("chat1").get(0);
        app.api.post("/api/v1/local/chats/chat1/press", Map.of("messageId", observerAgenda.get("messageId").asLong(),
                "buttonId", observerAgenda.at("/buttons/1/id").asText(), "userId", "u10", "userName", "Đảng viên 2.1"));
        JsonNode hostAgenda = app.localMessages("chat0").get(0);
        app.api.post("/api/v1/local/chats/chat0/press", Map.of("messageId", hostAgenda.get("messageId").asLong(),
                "buttonId", hostAgenda.at("/buttons/1/id").asText(), "userId", "u00", "userName", "Đảng viên 1.1"));
        JsonNode responses = app.api.get("/api/v1/meetings/" + id + "/responses").body();
        assertThat(responses.get("summary").toString()).isEqualTo("{\"invited\":3,\"received\":1,\"yes\":1,\"no\":0,\"noReply\":2,\"observers\":6}");
        JsonNode observer = null;
        for (JsonNode r : responses.get("members")) if (r.get("memberId").asLong() == members.get(1).get(0)) observer = r;
        assertThat(observer.get("observer").asBoolean()).isTrue();
        assertThat(observer.get("rsvp").asText()).isEqualTo("yes");

        app.clock.advance(Duration.ofHours(5));
        app.api.put("/api/v1/meetings/" + id + "/attendance", List.of(Map.of("memberId", members.get(0).get(0), "status", "present"),
                Map.of("memberId", members.get(0).get(1), "status", "present"), Map.of("memberId", members.get(0).get(2), "status", "absent")));
        JsonNode row = unitsRow(cells[0], "2026-12");
        assertThat(row.get("invited").asInt()).as("observers are not in the host's count").isEqualTo(3);
        assertThat(row.get("rate").asDouble()).isEqualTo(0.6667);
    }

    @Test
    void observers_are_asked_for_feedback_after_a_pilot_meeting_and_an_experience_session_can_follow() {
        long id = app.api.post("/api/v1/meetings", Map.of("unitId", cells[0], "title", "Sinh hoạt mẫu", "kind", "pilot",
                "startsAt", "2026-12-01T11:00", "reminders", List.of(), "observerUnitIds", List.of(cells[1], cells[2]))).body().get("id").asLong();
        assertThat(app.convene.services().followUp().askObserverFeedback()).as("not before it ends").isZero();
        app.clock.advance(Duration.ofHours(5));
        assertThat(app.convene.services().followUp().askObserverFeedback()).isEqualTo(2);
        assertThat(app.convene.services().followUp().askObserverFeedback()).as("asked once").isZero();
        app.advance(Duration.ZERO);
        await("the question in both observer chats", () -> app.localMessages("chat1").size() == 1 && app.localMessages("chat2").size() == 1
                && sent(id, "feedback-question") == 2);
        assertThat(app.localMessages("chat0")).as("the host is not asked").isEmpty();
        JsonNode question = app.localMessages("chat1").get(0);
        assertThat(question.get("text").asText()).contains("Sinh hoạt mẫu", "trả lời tin nhắn này");
        app.api.post("/api/v1/local/chats/chat1/say", Map.of("userId", "u10", "userName", "Đảng viên 2.1",
                "text", "Buổi sinh hoạt chuẩn bị tốt, nên học cách phân công", "replyToMessageId", question.get("messageId").asLong()));
        app.api.post("/api/v1/local/chats/chat1/say", Map.of("userId", "u00", "userName", "Đảng viên 1.1",
                "text", "tôi là chủ nhà", "replyToMessageId", question.get("messageId").asLong()));
        JsonNode feedback = app.api.get("/api/v1/meetings/" + id + "/feedback").body();
        assertThat(feedback).hasSize(1);
        assertThat(feedback.get(0).get("name").asText()).isEqualTo("Đảng viên 2.1");
        assertThat(feedback.get(0).get("text").asText()).startsWith("Buổi sinh hoạt chuẩn bị tốt");

        Http.Reply session = app.api.post("/api/v1/meetings/" + id + "/experience-session", Map.of("startsAt", "2026-12-15T19:30"));
        assertThat(session.status()).as(session.text()).isEqualTo(201);
        assertThat(session.body().get("unitId").asLong()).isEqualTo(committee);
        assertThat(session.body().get("observerUnitIds")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(cells[0], cells[1], cells[2]);
        assertThat(session.body().get("title").asText()).isEqualTo("Trao đổi kinh nghiệm: Sinh hoạt mẫu");
    }

    private int sent(long meeting, String kind) {
        int n = 0;
        for (JsonNode d : app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body()) {
            if (d.get("kind").asText().equals(kind) && d.get("state").asText().equals("sent")) n++;
        }
        return n;
    }

    @Test
    void a_thematic_sessions_products_are_counted_in_the_quarter() {
        long t = app.api.post("/api/v1/meetings", Map.of("unitId", cells[1], "title", "Sinh hoạt chuyên đề quý IV", "kind", "thematic",
                "theme", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "startsAt", "2026-12-03T19:30", "reminders", List.of()))
                .body().get("id").asLong();
        assertThat(app.api.uploadWith("/api/v1/meetings/" + t + "/products", Map.of("kind", "presentation", "title", "Bài trình bày"),
                "trinh-bay.exe.pdf", org.convene.support.Samples.exe(), "application/pdf").status()).as("type checked by content").isEqualTo(415);
        Http.Reply withFile = app.api.uploadWith("/api/v1/meetings/" + t + "/products", Map.of("kind", "presentation", "title", "Bài trình bày"),
                "Bài trình bày.pdf", org.convene.support.Samples.pdf(), "application/pdf");
        assertThat(withFile.status()).as(withFile.text()).isEqualTo(201);
        assertThat(withFile.body().at("/file/mediaType").asText()).isEqualTo("application/pdf");
        byte[] content = app.api.getBytes("/api/v1/products/" + withFile.body().get("id").asLong() + "/content");
        assertThat(content).isEqualTo(org.convene.support.Samples.pdf());
        assertThat(app.api.get("/api/v1/meetings/" + t + "/materials").body()).as("a product is not a material of the meeting").isEmpty();
        for (String kind : List.of("article", "video")) {
            assertThat(app.api.post("/api/v1/meetings/" + t + "/products", Map.of("kind", kind, "title", "Sản phẩm " + kind)).status()).isEqualTo(201);
        }
        assertThat(app.api.post("/api/v1/meetings/" + t + "/products", Map.of("kind", "post", "title", "thứ tư")).status()).isEqualTo(409);
        assertThat(app.api.post("/api/v1/meetings/" + t + "/products", Map.of("kind", "song", "title", "x")).status()).isEqualTo(422);
        app.clock.advance(Duration.ofDays(5));
        assertThat(unitsRow(cells[1], "2026-Q4").get("products").asInt()).isEqualTo(3);
        assertThat(unitsRow(cells[1], "2026-Q4").get("thematic").asInt()).isEqualTo(1);
        assertThat(unitsRow(committee, "2026-Q4").get("products").asInt()).isEqualTo(3);
        assertThat(unitsRow(province, "2026-Q4").get("thematic").asInt()).isEqualTo(1);
    }

    @Test
    void a_decision_with_an_assignee_becomes_a_task_shown_in_the_next_agenda_until_done() {
        long first = meeting(cells[0], "2026-12-02T19:30", List.of());
        long next = meeting(cells[0], "2026-12-09T19:30", List.of("P1D"));
        app.clock.advance(Duration.ofDays(2));
        long lan = members.get(0).get(1);
        JsonNode draft = app.api.get("/api/v1/meetings/" + first + "/minutes").body();
        assertThat(draft.get("filed").asBoolean()).isFalse();
        assertThat(draft.get("text").asText()).startsWith("BIÊN BẢN Sinh hoạt chi bộ").contains("Chi bộ 1 — Thứ Tư, 02/12/2026 lúc 19:30");
        Http.Reply minutes = app.api.put("/api/v1/meetings/" + first + "/minutes", Map.of("text", "Biên bản họp chi bộ tháng 12",
                "decisions", List.of(Map.of("text", "Vận động đóng đảng phí quý IV", "assigneeMemberId", lan, "due", "2026-12-08"),
                        Map.of("text", "Chi bộ thống nhất lịch trực Tết"))));
        assertThat(minutes.status()).as(minutes.text()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/meetings/" + first + "/minutes").body().get("text").asText()).isEqualTo("Biên bản họp chi bộ tháng 12");
        JsonNode tasks = app.api.get("/api/v1/units/" + cells[0] + "/tasks").body();
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).get("assigneeName").asText()).isEqualTo("Đảng viên 1.2");
        assertThat(tasks.get(0).get("state").asText()).isEqualTo("open");

        app.clock.advance(Duration.ofDays(5).plusHours(12)); // the 8th, 20:00: the next meeting's agenda is due
        app.advance(Duration.ZERO);
        await("next agenda", () -> app.localMessages("chat0").size() == 1);
        assertThat(app.localMessages("chat0").get(0).get("text").asText())
                .contains("Việc tồn đọng:", "• Vận động đóng đảng phí quý IV — Đảng viên 1.2 (hạn 08/12)").doesNotContain("lịch trực Tết");

        Http.Reply done = app.api.patch("/api/v1/tasks/" + tasks.get(0).get("id").asLong(), Map.of("state", "done"));
        assertThat(done.body().get("state").asText()).isEqualTo("done");
        assertThat(app.api.get("/api/v1/units/" + cells[0] + "/tasks?state=open").body()).isEmpty();
        assertThat(next).isPositive();
        JsonNode year = app.api.get("/api/v1/reports/members?unitId=" + cells[0] + "&year=2026").body();
        JsonNode lanYear = null;
        for (JsonNode r : year.get("rows")) if (r.get("memberId").asLong() == lan) lanYear = r;
        assertThat(lanYear.get("tasksGiven").asInt()).isEqualTo(1);
        assertThat(lanYear.get("tasksDone").asInt()).isEqualTo(1);
        assertThat(lanYear.get("invited").asInt()).isEqualTo(1);
    }

    @Test
    void the_roll_up_is_exact_at_each_level_and_in_the_csv() {
        // cell 1: a meeting recorded afterwards, 2 of 3 present; cell 2: 3 of 3; cell 3: no meeting
        app.clock.advance(Duration.ofDays(10));
        long r0 = app.api.post("/api/v1/meetings", Map.of("unitId", cells[0], "title", "Họp tháng 12", "startsAt", "2026-12-05T19:30",
                "recorded", true)).body().get("id").asLong();
        JsonNode recorded = app.api.get("/api/v1/meetings/" + r0).body();
        assertThat(recorded.get("reminders")).isEmpty();
        assertThat(recorded.get("status").asText()).isEqualTo("held");
        long r1 = app.api.post("/api/v1/meetings", Map.of("unitId", cells[1], "title", "Họp tháng 12", "startsAt", "2026-12-06T19:30",
                "recorded", true)).body().get("id").asLong();
        attendance(r0, 0, "present", "present", "excused");
        attendance(r1, 1, "present", "present", "present");

        assertThat(summary(unitsRow(cells[0], "2026-12"))).isEqualTo("1 3/2/1/0 0.6667 below");
        assertThat(summary(unitsRow(cells[1], "2026-12"))).isEqualTo("1 3/3/0/0 1.0 ok");
        assertThat(summary(unitsRow(cells[2], "2026-12"))).isEqualTo("0 0/0/0/0 null ok");
        assertThat(unitsRow(cells[2], "2026-12").get("noMeeting").asBoolean()).isTrue();
        for (long level : List.of(committee, district, province)) {
            assertThat(summary(unitsRow(level, "2026-12"))).isEqualTo("2 6/5/1/0 0.8333 below");
        }
        String csv = new String(app.api.getBytes("/api/v1/reports/units?unitId=" + province + "&from=2026-12-01&to=2026-12-31&format=csv"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFunitId,unit,parentId,period,meetings,thematic,invited,present,excused,absent,rate");
        assertThat(csv).contains(province + ",Tỉnh uỷ,,2026-12,2,0,6,5,1,0,0.8333,1.0,true,false,0,0,0");
        assertThat(csv).contains(cells[2] + ",Chi bộ 3," + committee + ",2026-12,0,0,0,0,0,0,,,false,true,0,0,0");
    }

    @Test
    void a_cell_secretary_gets_403_on_a_sibling_cells_reports_and_a_committee_supervisor_sees_below() {
        String secretary = app.api.post("/api/v1/units/" + cells[0] + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        String supervisor = app.api.post("/api/v1/units/" + committee + "/tokens", Map.of("role", "supervisor")).body().get("token").asText();
        for (String path : List.of("/api/v1/reports/units?unitId=" + cells[1], "/api/v1/reports/attendance?unitId=" + cells[1],
                "/api/v1/reports/members?unitId=" + cells[1], "/api/v1/units/" + cells[1] + "/tasks", "/api/v1/reports/units?unitId=" + committee)) {
            assertThat(app.api.as(secretary).get(path).status()).as(path).isEqualTo(403);
        }
        assertThat(app.api.as(secretary).get("/api/v1/reports/units?unitId=" + cells[0]).status()).isEqualTo(200);
        assertThat(app.api.as(supervisor).get("/api/v1/reports/units?unitId=" + cells[2]).status()).isEqualTo(200);
        assertThat(app.api.as(supervisor).get("/api/v1/reports/units?unitId=" + district).status()).as("nobody sees upward").isEqualTo(403);
        assertThat(app.api.as(secretary).post("/api/v1/units/" + committee + "/topics", Map.of("title", "x", "quarter", "2026-Q4")).status())
                .isEqualTo(403);
    }

    private long child(long parent, String name) {
        return app.api.post("/api/v1/units", Map.of("name", name, "parentId", parent)).body().get("id").asLong();
    }

    private long meeting(long unit, String startsAt, List<String> reminders) {
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Sinh hoạt chi bộ", "startsAt", startsAt, "reminders", reminders));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private void attendance(long meeting, int cell, String... statuses) {
        List<Map<String, Object>> body = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) body.add(Map.of("memberId", members.get(cell).get(i), "status", statuses[i]));
        assertThat(app.api.put("/api/v1/meetings/" + meeting + "/attendance", body).status()).isEqualTo(200);
    }

    private JsonNode unitsRow(long unit, String period) {
        JsonNode rows = app.api.get("/api/v1/reports/units?unitId=" + province + "&from=2026-12-01&to=2026-12-31").body().get("rows");
        for (JsonNode r : rows) if (r.get("unitId").asLong() == unit && r.get("period").asText().equals(period)) return r;
        throw new AssertionError("no row " + unit + " " + period + " in " + rows);
    }

    private static String summary(JsonNode r) {
        return r.get("meetings").asInt() + " " + r.get("invited").asInt() + "/" + r.get("present").asInt() + "/" + r.get("excused").asInt() + "/"
                + r.get("absent").asInt() + " " + (r.get("rate").isNull() ? "null" : r.get("rate").asText()) + " "
                + (r.get("belowTarget").asBoolean() ? "below" : "ok");
    }
}
