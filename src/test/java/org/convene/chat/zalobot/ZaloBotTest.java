package org.convene.chat.zalobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.chat.ChatPlatform;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running Convene with a Zalo Bot on, against the fake Bot API, webhook mode: the group linked by
 * {@code /link CODE}, members by {@code /iam}, the agenda in words with the materials page's link, typed
 * answers counted once however often Zalo delivers them, and Zalo's refusals as outcomes.
 */
class ZaloBotTest {
    static final String GROUP = "6ede9afa66b88fe6d6a9";
    static final String LAN = "e4ea2cd5189df1c3a88c";
    static final String MINH = "2d758cb5e222177a4e35";
    static final String TITLE = "Sinh hoạt chi bộ tháng 12";

    final FakeZaloBotApi fake = new FakeZaloBotApi();
    TestConvene app;
    long unit;
    long lan;
    long minh;
    int nextMessage = 1;

    @BeforeEach
    void aUnitWithTwoMembers() {
        fake.join(GROUP);
        app = TestConvene.start(env());
        unit = app.unit("Chi bộ thôn Đồng Tâm");
        lan = app.memberAs(unit, "Trần Thị Lan", "secretary");
        minh = app.memberAs(unit, "Lê Văn Minh", "member");
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CONVENE_ZALOBOT_TOKEN", FakeZaloBotApi.TOKEN);
        env.put("CONVENE_ZALOBOT_API_URL", fake.url());
        return env;
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private int say(String from, String name, String text) {
        return fake.push(FakeZaloBotApi.textEvent(GROUP, true, from, name, text, String.format("%020d", nextMessage++)));
    }

    private void linkTheGroupAndBothMembers() {
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        assertThat(say(LAN, "Lan", "/link " + code)).isEqualTo(200);
        // the secretary signs in to the pages, so her account is linked with a personal code; a member links by name
        String personal = app.api.post("/api/v1/units/" + unit + "/members/" + lan + "/link-code", "").body().get("code").asText();
        assertThat(say(LAN, "Lan", "/iam " + personal)).isEqualTo(200);
        assertThat(say(MINH, "Minh", "/iam Lê Văn Minh")).isEqualTo(200);
        await("both accounts linked", () -> fake.sent(GROUP).stream().filter(m -> m.text().startsWith("Đã liên kết tài khoản")).count() == 2);
    }

    private long meetingWithItsAgendaSent(boolean withDocuments) {
        JsonNode meeting = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", TITLE, "startsAt", "2026-12-01T11:00:00",
                "location", "Nhà văn hoá thôn", "agenda", List.of(Map.of("title", "Báo cáo tình hình")),
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")))).body();
        long id = meeting.get("id").asLong();
        if (withDocuments) {
            assertThat(app.api.upload("/api/v1/meetings/" + id + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf").status())
                    .isEqualTo(201);
            assertThat(app.api.uploadWith("/api/v1/meetings/" + id + "/materials", Map.of("confidential", "true"), "Nhân sự.pdf", Samples.pdf(),
                    "application/pdf").status()).isEqualTo(201);
        }
        app.advance(Duration.ofSeconds(10));
        await("the agenda sent", () -> fake.sent(GROUP).stream().anyMatch(s -> s.text().contains(TITLE)));
        return id;
    }

    private String agendaText() {
        return fake.sent(GROUP).stream().filter(s -> s.text().contains(TITLE)).findFirst().orElseThrow().text();
    }

    private ChatPlatform bot() {
        return app.convene.services().platforms().get(ZaloBotPlatform.NAME).orElseThrow();
    }

    private long count(String sql) {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static JsonNode member(JsonNode responses, long memberId) {
        for (JsonNode m : responses.get("members")) if (m.get("memberId").asLong() == memberId) return m;
        throw new AssertionError("member " + memberId + " not in " + responses);
    }

    @Test
    void start_up_sets_the_webhook_with_a_generated_secret_and_declares_a_platform_without_buttons_edits_or_documents() {
        assertThat(fake.webhookUrl()).isEqualTo("http://localhost:" + app.convene.port() + "/webhooks/zalobot");
        assertThat(fake.webhookSecret()).hasSizeBetween(8, 256);
        var capabilities = bot().capabilities();
        assertThat(capabilities.buttons()).isFalse();
        assertThat(capabilities.edits()).isFalse();
        assertThat(capabilities.documents()).isFalse();
        assertThat(capabilities.maxTextLength()).isEqualTo(2000);
        assertThat(capabilities.messagesPerSecond()).isEqualTo(5);
        assertThat(capabilities.messagesPerMinutePerChat()).isEqualTo(20);
        assertThat(bot().account()).isEqualTo(FakeZaloBotApi.BOT_ID);
        JsonNode health = app.anonymous.get("/health").body();
        assertThat(health.at("/platforms/zalobot/canJoinGroups").asBoolean()).isTrue();
        assertThat(health.at("/platforms/zalobot/sending").asText()).isEqualTo("ok");
    }

    @Test
    void link_code_sent_in_the_group_binds_it_to_the_unit_and_the_bot_confirms_there() {
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();

        assertThat(say(LAN, "Lan", "/link " + code)).isEqualTo(200);

        JsonNode chats = app.api.get("/api/v1/units/" + unit + "/chats").body();
        assertThat(chats).hasSize(1);
        assertThat(chats.get(0).get("platform").asText()).isEqualTo("zalobot");
        assertThat(chats.get(0).get("chatId").asText()).isEqualTo(GROUP);
        await("the confirmation", () -> !fake.sent(GROUP).isEmpty());
        assertThat(fake.sent(GROUP)).extracting(FakeZaloBotApi.Sent::text).containsExactly("Đã liên kết nhóm này với Chi bộ thôn Đồng Tâm.");
    }

    @Test
    void the_agenda_asks_for_answers_in_words_and_carries_the_materials_link_instead_of_the_files() throws Exception {
        linkTheGroupAndBothMembers();
        long meetingId = meetingWithItsAgendaSent(true);

        String agenda = agendaText();
        assertThat(agenda).contains("Nhà văn hoá thôn", "📎 Nghị quyết.pdf", "\"có\"", "\"vắng vì …\"").doesNotContain("bấm nút");
        String link = agenda.lines().filter(l -> l.startsWith("⬇ ")).findFirst().orElseThrow().replaceAll("^.*(http\\S+)$", "$1");
        assertThat(link).matches("http://localhost:\\d+/m/[A-Za-z0-9_-]{32}");
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()).extracting(d -> d.get("kind").asText())
                .containsExactly("agenda");
        Http.Reply page = app.anonymous.get(link.replaceAll("^http://localhost:\\d+", ""));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Nghị quyết.pdf").doesNotContain("Nhân sự.pdf");
    }

    @Test
    void a_picture_goes_by_send_photo_from_its_address_on_the_materials_page_and_the_pdf_stays_on_the_page() {
        linkTheGroupAndBothMembers();
        JsonNode meeting = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", TITLE, "startsAt", "2026-12-01T11:00:00",
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")))).body();
        long id = meeting.get("id").asLong();
        app.api.upload("/api/v1/meetings/" + id + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf");
        app.api.upload("/api/v1/meetings/" + id + "/materials", "Sơ đồ.png", Samples.png(), "image/png");
        app.api.uploadWith("/api/v1/meetings/" + id + "/materials", Map.of("confidential", "true"), "Mật.png", Samples.png(), "image/png");

        app.advance(Duration.ofSeconds(10));
        await("the picture sent", () -> !fake.photos(GROUP).isEmpty());

        FakeZaloBotApi.Photo photo = fake.photos(GROUP).getFirst();
        assertThat(photo.url()).matches("http://localhost:\\d+/m/[A-Za-z0-9_-]{32}/\\d+");
        assertThat(photo.contentType()).isEqualTo("image/png");
        assertThat(photo.bytes()).isEqualTo(Samples.png().length);
        assertThat(fake.photos(GROUP)).hasSize(1);
        assertThat(agendaText()).contains("📎 Nghị quyết.pdf", "⬇ ");
        await("both deliveries settled", () -> {
            JsonNode rows = app.api.get("/api/v1/meetings/" + id + "/deliveries").body();
            return rows.size() == 2 && rows.get(1).get("state").asText().equals("sent");
        });
        assertThat(app.api.get("/api/v1/meetings/" + id + "/deliveries").body()).extracting(d -> d.get("kind").asText())
                .containsExactly("agenda", "document");
    }

    @Test
    void the_reminder_and_the_chase_reach_the_group_and_the_chase_names_only_who_has_not_answered() {
        linkTheGroupAndBothMembers();
        JsonNode meeting = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", TITLE, "startsAt", "2026-12-01T11:00:00",
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda"), Map.of("offset", "PT2H59M40S", "kind", "reminder"),
                        Map.of("offset", "PT2H59M30S", "kind", "chase")))).body();
        app.advance(Duration.ofSeconds(10));
        await("the agenda sent", () -> fake.sent(GROUP).stream().anyMatch(s -> s.text().startsWith("📋")));
        assertThat(say(LAN, "Lan", "có")).isEqualTo(200);

        app.advance(Duration.ofSeconds(10));
        await("the reminder sent", () -> fake.sent(GROUP).stream().anyMatch(s -> s.text().startsWith("⏰ Nhắc lịch: " + TITLE)));
        app.advance(Duration.ofSeconds(10));
        await("the chase sent", () -> fake.sent(GROUP).stream().anyMatch(s -> s.text().startsWith("🔔 " + TITLE)));

        String chase = fake.sent(GROUP).stream().filter(s -> s.text().startsWith("🔔")).findFirst().orElseThrow().text();
        assertThat(chase).contains("Lê Văn Minh", "Xin trả lời trong nhóm").doesNotContain("Trần Thị Lan", "bấm nút");
        assertThat(meeting.get("reminders")).hasSize(3);
    }

    @Test
    void login_in_a_private_chat_gives_the_secretary_a_sign_in_link_and_next_names_the_meeting_in_the_group() {
        linkTheGroupAndBothMembers();
        app.meeting(unit, "2026-12-05T19:30:00", List.of("P1D"));
        fake.join(LAN);

        assertThat(fake.push(FakeZaloBotApi.textEvent(LAN, false, LAN, "Lan", "/login", "10000000000000000001"))).isEqualTo(200);
        assertThat(say(MINH, "Minh", "/next")).isEqualTo(200);

        await("both answered", () -> !fake.sent(LAN).isEmpty()
                && fake.sent(GROUP).stream().anyMatch(s -> s.text().startsWith("Cuộc họp tới:")));
        assertThat(fake.sent(LAN).getFirst().text()).startsWith("Đường dẫn đăng nhập").contains("http://localhost:");
        assertThat(fake.sent(GROUP).stream().filter(s -> s.text().startsWith("Cuộc họp tới:")).findFirst().orElseThrow().text())
                .isEqualTo("Cuộc họp tới: " + TITLE + ", 05/12/2026 lúc 19:30");
    }

    @Test
    void an_agenda_without_documents_carries_no_link() {
        linkTheGroupAndBothMembers();
        meetingWithItsAgendaSent(false);

        assertThat(agendaText()).doesNotContain("/m/", "⬇");
    }

    @Test
    void typed_answers_are_counted_and_a_message_zalo_delivers_twice_counts_once() {
        linkTheGroupAndBothMembers();
        long meetingId = meetingWithItsAgendaSent(false);
        var yes = FakeZaloBotApi.textEvent(GROUP, true, LAN, "Lan", "Có", "a1b2c3d4e5f60718293a");

        assertThat(fake.push(yes)).isEqualTo(200);
        assertThat(fake.push(yes)).isEqualTo(200);
        assertThat(say(MINH, "Minh", "vắng vì đi công tác")).isEqualTo(200);

        JsonNode responses = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(member(responses, lan).get("rsvp").asText()).isEqualTo("yes");
        assertThat(member(responses, lan).get("source").asText()).isEqualTo("text");
        assertThat(member(responses, minh).get("rsvp").asText()).isEqualTo("no");
        assertThat(member(responses, minh).get("reasonCode").asText()).isEqualTo("work");
        assertThat(responses.at("/summary/yes").asInt()).isEqualTo(1);
        assertThat(responses.at("/summary/no").asInt()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM response_history WHERE person_id = " + lan)).isEqualTo(1);
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body()).extracting(d -> d.get("kind").asText())
                .doesNotContain("tally");
    }

    @Test
    void a_wrong_or_missing_secret_is_refused_with_403_and_nothing_is_stored() {
        linkTheGroupAndBothMembers();
        long before = count("SELECT COUNT(*) FROM inbound_updates");
        String body = FakeZaloBotApi.textEvent(GROUP, true, LAN, "Lan", "có", "ffffffffffffffffffff").toString();

        assertThat(fake.push(body, "not-the-secret")).isEqualTo(403);
        assertThat(fake.push(body, null)).isEqualTo(403);
        assertThat(fake.push(body, fake.webhookSecret() + "x")).isEqualTo(403);

        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM response_history")).isZero();
    }

    @Test
    void an_array_body_is_refused_and_events_convene_does_not_act_on_are_answered_200() {
        String event = FakeZaloBotApi.textEvent(GROUP, true, LAN, "Lan", "có", "eeeeeeeeeeeeeeeeeeee").toString();

        assertThat(fake.push("[" + event + "]", fake.webhookSecret())).isEqualTo(400);
        assertThat(fake.push("not json", fake.webhookSecret())).isEqualTo(400);
        assertThat(fake.push("{\"ok\":true,\"result\":{}}", fake.webhookSecret())).isEqualTo(400);
        for (String name : List.of("message.sticker.received", "message.image.received", "message.voice.received",
                "message.unsupported.received", "message.reaction.received")) {
            assertThat(fake.push(FakeZaloBotApi.otherEvent(name, GROUP, LAN, "m-" + name))).as(name).isEqualTo(200);
        }
        assertThat(fake.push("{\"ok\":true,\"result\":{\"event_name\":\"message.text.received\",\"message\":{}}}", fake.webhookSecret()))
                .isEqualTo(200);
        assertThat(fake.sent(GROUP)).isEmpty();
    }

    @Test
    void a_body_larger_than_any_event_is_refused_with_413() {
        String huge = "{\"ok\":true,\"pad\":\"" + "x".repeat(ZaloBotRoutes.MAX_BODY_BYTES) + "\"}";

        assertThat(fake.push(huge, fake.webhookSecret())).isEqualTo(413);
    }

    @Test
    void the_webhook_answers_in_time_while_zalo_is_slow_to_take_the_reply() {
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        fake.sendDelay(Duration.ofSeconds(6));

        long start = System.nanoTime();
        assertThat(say(LAN, "Lan", "/link " + code)).isEqualTo(200);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMillis).isLessThan(ZaloBotRoutes.ANSWER_WITHIN.toMillis() + 1500);
        await("the confirmation goes out after the answer", () -> !fake.sent(GROUP).isEmpty());
    }

    @Test
    void a_long_text_goes_in_parts_of_at_most_2000_characters_cut_at_line_ends() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 120; i++) text.append("Dòng ").append(i).append(": nội dung nội dung nội dung\n");

        SendOutcome outcome = bot().send(GROUP, new OutgoingMessage.Text(text.toString()));

        assertThat(outcome).isInstanceOf(SendOutcome.Sent.class);
        List<FakeZaloBotApi.Sent> parts = fake.sent(GROUP);
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.text().length()).isBetween(1, 2000));
        assertThat(parts).allSatisfy(p -> assertThat(p.text()).startsWith("Dòng "));
        assertThat(String.join("\n", parts.stream().map(FakeZaloBotApi.Sent::text).toList())).isEqualTo(text.toString().strip());
    }

    @Test
    void ok_false_answers_become_the_right_outcomes() {
        fake.failNext("sendMessage", 429, "Too Many Requests", 1);
        fake.failNext("sendMessage", 500, "Internal Server Error", 1);
        fake.failNext("sendMessage", 400, "Bad Request: something", 1);

        assertThat(bot().send(GROUP, new OutgoingMessage.Text("một"))).isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(bot().send(GROUP, new OutgoingMessage.Text("hai"))).isInstanceOf(SendOutcome.Transient.class);
        assertThat(bot().send(GROUP, new OutgoingMessage.Text("ba"))).isEqualTo(new SendOutcome.Rejected("Zalo Bot error 400: Bad Request: something", false));
        assertThat(bot().send("a-group-the-bot-left", new OutgoingMessage.Text("bốn")))
                .isEqualTo(new SendOutcome.Rejected("Forbidden: the bot is not a member of this chat", true));
        assertThat(bot().send(GROUP, new OutgoingMessage.Text("năm"))).isInstanceOf(SendOutcome.Sent.class);
    }

    @Test
    void a_token_zalo_refuses_stops_sending_and_is_shown_until_a_send_goes_through() {
        fake.failNext("sendMessage", 401, "Unauthorized", 1);

        SendOutcome first = bot().send(GROUP, new OutgoingMessage.Text("một"));
        int callsAfterFirst = fake.calls().size();
        SendOutcome second = bot().send(GROUP, new OutgoingMessage.Text("hai"));

        assertThat(first).isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(((SendOutcome.RetryAfter) first).after()).isEqualTo(ZaloBotPlatform.TOKEN_PAUSE);
        assertThat(second).isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(fake.calls()).hasSize(callsAfterFirst);
        assertThat(bot().notices()).extracting(ChatPlatform.Notice::key).containsExactly("zalobot_token_refused");

        app.clock.advance(ZaloBotPlatform.TOKEN_PAUSE);
        assertThat(bot().send(GROUP, new OutgoingMessage.Text("ba"))).isInstanceOf(SendOutcome.Sent.class);
        assertThat(bot().notices()).isEmpty();
    }

    @Test
    void a_group_the_bot_was_removed_from_becomes_left() {
        linkTheGroupAndBothMembers();
        fake.leave(GROUP);
        JsonNode meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")));

        app.advance(Duration.ofSeconds(10));

        await("the chat is left", () -> app.api.get("/api/v1/units/" + unit + "/chats").body().get(0).get("state").asText().equals("left"));
        assertThat(app.api.get("/api/v1/meetings/" + meeting.get("id").asLong() + "/deliveries").body().get(0).get("state").asText())
                .isEqualTo("failed");
    }

    @Test
    void a_bot_that_cannot_join_groups_is_said_so_on_the_home_page() {
        app.close();
        fake.canJoinGroups(false);
        app = TestConvene.start(env());
        long cell = app.unit("Chi bộ khác");
        long secretary = app.memberAs(cell, "Nguyễn Văn Bí Thư", "secretary");
        String signIn = app.api.post("/api/v1/units/" + cell + "/members/" + secretary + "/login-link", Map.of()).body().get("url").asText();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        browser.signIn(signIn);

        WebClient.Page home = browser.get("/");

        assertThat(bot().notices()).extracting(ChatPlatform.Notice::key).containsExactly("zalobot_no_groups");
        assertThat(home.body()).contains("data-testid=\"platform-notice-zalobot_no_groups\"", "chưa thể được thêm vào nhóm");
    }

    @Test
    void a_token_zalo_refuses_at_start_stops_start_up_with_a_message() {
        app.close();
        app = null;
        Map<String, String> wrong = env();
        wrong.put("CONVENE_ZALOBOT_TOKEN", FakeZaloBotApi.BOT_ID + ":not-the-secret");

        assertThatThrownBy(() -> TestConvene.start(wrong)).hasMessageContaining("Zalo refused the bot token")
                .hasMessageContaining("CONVENE_ZALOBOT_TOKEN").hasMessageNotContaining("not-the-secret");
    }
}
