package org.convene.chat.zalo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.chat.ChatPlatform;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running Convene with Zalo on, against the fake OA OpenAPI: groups linked by {@code /link CODE} sent in
 * them, agendas and documents posted through GMF, members' typed answers arriving by signed webhook.
 */
class ZaloGroupTest {
    static final String GROUP = "f1e2d3c4b5a69788";
    static final String OTHER_GROUP = "0a1b2c3d4e5f6071";
    static final String LAN = "8412345678901234567";
    static final String MINH = "8498765432109876543";
    static final String TITLE = "Sinh hoạt chi bộ tháng 12";

    final FakeZaloApi fake = new FakeZaloApi();
    TestConvene app;
    long unit;
    long lan;
    long minh;
    int nextMsg = 1;

    @BeforeEach
    void aUnitWithTwoMembersKnownByTheirZaloIds() {
        app = TestConvene.start(fake.env());
        fake.group(GROUP);
        fake.group(OTHER_GROUP);
        unit = app.unit("Chi bộ thôn Đồng Tâm");
        lan = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "zaloUserId", LAN)).body().get("id").asLong();
        minh = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Văn Minh", "zaloUserId", MINH)).body().get("id").asLong();
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private String webhook() {
        return "http://localhost:" + app.convene.port() + "/webhooks/zalo";
    }

    private FakeZaloApi.Pushed say(String group, String sender, String text) {
        return fake.push(webhook(), FakeZaloApi.groupText(group, sender, "msg-" + nextMsg++, text, app.clock.instant()));
    }

    private void link(String group) {
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        assertThat(say(group, LAN, "/link " + code).status()).isEqualTo(200);
    }

    private long meetingWithAgendaDueIn10Seconds() {
        JsonNode meeting = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", TITLE, "startsAt", "2026-12-01T11:00:00",
                "location", "Nhà văn hoá thôn", "agenda", List.of(Map.of("title", "Báo cáo tình hình")),
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")))).body();
        return meeting.get("id").asLong();
    }

    /** GROUP linked, a meeting made, its agenda sent there; the meeting's id. */
    private long linkedGroupWithItsAgendaSent() {
        link(GROUP);
        long meetingId = meetingWithAgendaDueIn10Seconds();
        app.advance(Duration.ofSeconds(10));
        await("agenda sent", () -> settled(meetingId));
        return meetingId;
    }

    private JsonNode deliveries(long meetingId) {
        return app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body();
    }

    private boolean settled(long meetingId) {
        JsonNode rows = deliveries(meetingId);
        if (rows.isEmpty()) return false;
        for (JsonNode d : rows) if (!List.of("sent", "failed").contains(d.get("state").asText())) return false;
        return true;
    }

    private long count(String sql) {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private ChatPlatform zalo() {
        return app.convene.services().platforms().get("zalo").orElseThrow();
    }

    private static JsonNode member(JsonNode responses, long memberId) {
        for (JsonNode m : responses.get("members")) if (m.get("memberId").asLong() == memberId) return m;
        throw new AssertionError("member " + memberId + " not in " + responses);
    }

    @Test
    void link_code_sent_in_a_group_binds_it_to_the_unit_and_the_bot_confirms_there() {
        link(GROUP);

        JsonNode chats = app.api.get("/api/v1/units/" + unit + "/chats").body();
        assertThat(chats).hasSize(1);
        assertThat(chats.get(0).get("platform").asText()).isEqualTo("zalo");
        assertThat(chats.get(0).get("chatId").asText()).isEqualTo(GROUP);
        assertThat(fake.posted(GROUP)).extracting(FakeZaloApi.Posted::text).containsExactly("Đã liên kết nhóm này với Chi bộ thôn Đồng Tâm.");
    }

    @Test
    void the_agenda_asks_for_answers_in_words_and_the_pdf_is_uploaded_once_for_two_groups() {
        link(GROUP);
        link(OTHER_GROUP);
        long meetingId = meetingWithAgendaDueIn10Seconds();
        assertThat(app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf").status())
                .isEqualTo(201);

        app.advance(Duration.ofSeconds(10));
        await("agenda and PDF settled in both groups", () -> settled(meetingId));

        assertThat(deliveries(meetingId)).extracting(d -> d.get("state").asText()).containsOnly("sent");
        for (String group : List.of(GROUP, OTHER_GROUP)) {
            List<FakeZaloApi.Posted> posted = fake.posted(group);
            FakeZaloApi.Posted agenda = posted.stream().filter(p -> p.text() != null && p.text().contains(TITLE)).findFirst().orElseThrow();
            assertThat(agenda.text()).contains("Nhà văn hoá thôn", "Nghị quyết.pdf", "\"có\"", "\"vắng vì …\"").doesNotContain("bấm nút");
            assertThat(posted).filteredOn(p -> p.fileToken() != null).hasSize(1);
        }
        assertThat(fake.uploads()).hasSize(1);
        assertThat(fake.uploads().get(0).filename()).isEqualTo("Nghị quyết.pdf");
        assertThat(fake.uploads().get(0).mediaType()).isEqualTo("application/pdf");
    }

    @Test
    void typed_answers_by_webhook_are_recorded_and_no_tally_edit_is_queued() {
        long meetingId = linkedGroupWithItsAgendaSent();

        assertThat(say(GROUP, LAN, "Có").status()).isEqualTo(200);
        assertThat(say(GROUP, MINH, "vắng vì đi công tác").status()).isEqualTo(200);

        JsonNode responses = app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
        assertThat(member(responses, lan).get("rsvp").asText()).isEqualTo("yes");
        assertThat(member(responses, lan).get("source").asText()).isEqualTo("text");
        assertThat(member(responses, minh).get("rsvp").asText()).isEqualTo("no");
        assertThat(member(responses, minh).get("reason").asText()).isEqualTo("đi công tác");
        assertThat(member(responses, minh).get("reasonCode").asText()).isEqualTo("work");
        assertThat(responses.at("/summary/yes").asInt()).isEqualTo(1);
        assertThat(deliveries(meetingId)).extracting(d -> d.get("kind").asText()).doesNotContain("tally");
    }

    @Test
    void a_bare_vang_gets_the_reason_question_in_words_and_the_typed_reason_is_stored() {
        long meetingId = linkedGroupWithItsAgendaSent();

        say(GROUP, MINH, "vắng");
        app.advance(Duration.ofSeconds(1));
        await("the reason question is sent", () -> settled(meetingId)
                && fake.posted(GROUP).stream().anyMatch(p -> p.text() != null && p.text().startsWith("Lê Văn Minh, đồng chí vắng vì lý do gì?")));
        FakeZaloApi.Posted question = fake.posted(GROUP).stream().filter(p -> p.text() != null && p.text().startsWith("Lê Văn Minh")).findFirst()
                .orElseThrow();
        assertThat(question.text()).contains("\"vắng vì …\"").doesNotContain("bấm");

        say(GROUP, MINH, "vắng vì ốm");
        JsonNode row = member(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body(), minh);
        assertThat(row.get("reason").asText()).isEqualTo("ốm");
        assertThat(row.get("reasonCode").asText()).isEqualTo("sick");
    }

    @Test
    void a_wrong_or_missing_signature_is_refused_with_401_and_nothing_is_stored() {
        link(GROUP);
        meetingWithAgendaDueIn10Seconds();
        long updates = count("SELECT COUNT(*) FROM inbound_updates");
        long history = count("SELECT COUNT(*) FROM response_history");
        ObjectNode event = FakeZaloApi.groupText(GROUP, LAN, "msg-forged", "có", app.clock.instant());
        String body = event.toString();

        FakeZaloApi.Pushed wrongSecret = fake.push(webhook(), body,
                FakeZaloApi.signature(body, FakeZaloApi.APP_ID, event.get("timestamp").asText(), "not-the-oa-secret"));
        FakeZaloApi.Pushed missing = fake.push(webhook(), body, null);
        String signedOther = FakeZaloApi.signature(body.replace("có", "vắng"), FakeZaloApi.APP_ID, event.get("timestamp").asText(),
                FakeZaloApi.OA_SECRET);
        FakeZaloApi.Pushed tampered = fake.push(webhook(), body, signedOther);

        for (FakeZaloApi.Pushed refused : List.of(wrongSecret, missing, tampered)) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains("\"code\":\"unauthorized\"");
        }
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isEqualTo(updates);
        assertThat(count("SELECT COUNT(*) FROM response_history")).isEqualTo(history);
        // the same event, rightly signed, is taken
        assertThat(fake.push(webhook(), event).status()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM response_history")).isEqualTo(history + 1);
    }

    @Test
    void an_event_older_than_a_day_is_refused_even_when_rightly_signed_and_one_delivered_hours_late_counts() {
        link(GROUP);
        meetingWithAgendaDueIn10Seconds();
        long updates = count("SELECT COUNT(*) FROM inbound_updates");
        Instant overADayAgo = app.clock.instant().minus(Duration.ofHours(25));

        FakeZaloApi.Pushed stale = fake.push(webhook(), FakeZaloApi.groupText(GROUP, LAN, "msg-old", "có", overADayAgo));

        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.body()).contains("hours from now");
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isEqualTo(updates);
        // Convene was down for hours, and Zalo delivers the answer now: it still counts
        long history = count("SELECT COUNT(*) FROM response_history");
        FakeZaloApi.Pushed late = fake.push(webhook(), FakeZaloApi.groupText(GROUP, LAN, "msg-late", "có",
                app.clock.instant().minus(Duration.ofHours(3))));
        assertThat(late.status()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM response_history")).isEqualTo(history + 1);
    }

    @Test
    void a_repeated_msg_id_is_answered_200_and_handled_once() {
        link(GROUP);
        meetingWithAgendaDueIn10Seconds();
        ObjectNode event = FakeZaloApi.groupText(GROUP, LAN, "msg-twice", "có", app.clock.instant());
        long history = count("SELECT COUNT(*) FROM response_history");

        assertThat(fake.push(webhook(), event).status()).isEqualTo(200);
        assertThat(fake.push(webhook(), event).status()).isEqualTo(200);

        assertThat(count("SELECT COUNT(*) FROM response_history")).isEqualTo(history + 1);
        assertThat(count("SELECT COUNT(*) FROM inbound_updates WHERE platform = 'zalo' AND update_id = 'msg-twice'")).isEqualTo(1);
    }

    @Test
    void events_convene_does_not_act_on_get_200_and_store_nothing() {
        ObjectNode sticker = FakeZaloApi.groupText(GROUP, LAN, "msg-sticker", "", app.clock.instant());
        sticker.put("event_name", "user_send_group_sticker");
        ((ObjectNode) sticker.get("message")).remove("text");
        long updates = count("SELECT COUNT(*) FROM inbound_updates");

        assertThat(fake.push(webhook(), sticker).status()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM inbound_updates")).isEqualTo(updates);
    }

    @Test
    void a_command_in_a_one_to_one_chat_is_answered_to_that_user() {
        FakeZaloApi.Pushed pushed = fake.push(webhook(), FakeZaloApi.userText(LAN, "msg-dm", "/help", app.clock.instant()));

        assertThat(pushed.status()).isEqualTo(200);
        assertThat(fake.toUser(LAN)).extracting(FakeZaloApi.Posted::text).singleElement().asString().startsWith("Các lệnh:");
    }

    @Test
    void the_refresh_stores_the_new_refresh_token_and_the_next_refresh_spends_it() {
        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("một"))).isInstanceOf(SendOutcome.Sent.class);
        String stored = app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT value FROM settings WHERE name = :n").bind("n", ZaloTokens.settingName(FakeZaloApi.APP_ID)).mapTo(String.class).one());
        assertThat(stored).contains("\"refreshToken\":\"rt-1\"").contains("\"accessToken\":\"at-1\"");

        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("hai"))).isInstanceOf(SendOutcome.Sent.class);
        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN);

        // 25 h: the access token has less than an hour left, so it is refreshed ahead, with the stored refresh token
        app.clock.advance(Duration.ofHours(25));
        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("ba"))).isInstanceOf(SendOutcome.Sent.class);
        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN, "rt-1");
        assertThat(fake.accessTokensSeen()).containsExactly("at-1", "at-1", "at-2");
    }

    @Test
    void an_access_token_zalo_calls_invalid_is_refreshed_once_and_the_send_goes_through() {
        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("một"))).isInstanceOf(SendOutcome.Sent.class);
        fake.expireAccessTokens();

        SendOutcome outcome = zalo().send(GROUP, new OutgoingMessage.Text("hai"));

        assertThat(outcome).isInstanceOf(SendOutcome.Sent.class);
        assertThat(fake.refreshes()).hasSize(2);
        assertThat(fake.accessTokensSeen()).containsExactly("at-1", "at-1", "at-2");
        assertThat(fake.posted(GROUP)).extracting(FakeZaloApi.Posted::text).containsExactly("một", "hai");
    }

    @Test
    void an_access_token_zalo_calls_expired_or_removed_is_refreshed_once_like_an_invalid_one() {
        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("một"))).isInstanceOf(SendOutcome.Sent.class);
        fake.failNext("/v3.0/oa/group/message", -220, "Access token has expired or been removed", 1);

        SendOutcome outcome = zalo().send(GROUP, new OutgoingMessage.Text("hai"));

        assertThat(outcome).isInstanceOf(SendOutcome.Sent.class);
        assertThat(fake.refreshes()).hasSize(2);
        assertThat(fake.accessTokensSeen()).containsExactly("at-1", "at-1", "at-2");
        assertThat(fake.posted(GROUP)).extracting(FakeZaloApi.Posted::text).containsExactly("một", "hai");
    }

    @Test
    void health_shows_the_refresh_tokens_age_once_one_was_used() {
        assertThat(app.anonymous.get("/health").body().has("platforms")).isFalse();
        assertThat(zalo().send(GROUP, new OutgoingMessage.Text("một"))).isInstanceOf(SendOutcome.Sent.class);
        app.clock.advance(Duration.ofDays(3));

        assertThat(app.anonymous.get("/health").body().at("/platforms/zalo/refreshTokenAgeDays").asLong()).isEqualTo(3);
    }

    @Test
    void a_material_zalo_will_not_take_is_announced_at_attach_and_goes_there_as_a_link() {
        link(GROUP);
        long meetingId = meetingWithAgendaDueIn10Seconds();
        app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf");
        JsonNode xlsx = app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Danh sách.xlsx", Samples.xlsx(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").body();
        assertThat(xlsx.get("warnings")).hasSize(1);
        assertThat(xlsx.at("/warnings/0/platform").asText()).isEqualTo("zalo");
        assertThat(xlsx.at("/warnings/0/message").asText()).isEqualTo("Zalo takes no XLSX files; Danh sách.xlsx goes there as a link");

        app.advance(Duration.ofSeconds(10));
        await("everything settled", () -> settled(meetingId));

        List<String> states = new ArrayList<>();
        for (JsonNode d : deliveries(meetingId)) states.add(d.get("kind").asText() + ":" + d.get("state").asText());
        assertThat(states).containsExactly("agenda:sent", "document:sent", "document:sent");
        assertThat(fake.uploads()).extracting(FakeZaloApi.Upload::filename).containsExactly("Nghị quyết.pdf");
        assertThat(fake.posted(GROUP)).extracting(FakeZaloApi.Posted::text).anySatisfy(text -> assertThat(text)
                .isEqualTo("📎 Danh sách.xlsx (610 B): " + app.api.get("/api/v1/meetings/" + meetingId + "/materials-page").body().get("url").asText()
                        + "/" + xlsx.get("id").asLong()));
    }

    @Test
    void a_rate_limit_answer_holds_the_send_and_it_goes_out_once_the_wait_is_over() {
        link(GROUP);
        long meetingId = meetingWithAgendaDueIn10Seconds();
        fake.failNext("/v3.0/oa/group/message", ZaloPlatform.RATE_LIMITED, "Exceeded the request limit", 1);
        int before = fake.posted(GROUP).size();

        app.advance(Duration.ofSeconds(10));
        await("the send meets the rate limit", () -> deliveries(meetingId).findValuesAsText("lastError").stream()
                .anyMatch(e -> e.contains("Zalo error -32")));
        app.convene.services().dispatcher().drainOnce();
        assertThat(fake.posted(GROUP)).hasSize(before);

        app.advance(Duration.ofMinutes(1));
        await("the agenda goes out after the wait", () -> settled(meetingId));
        assertThat(deliveries(meetingId)).extracting(d -> d.get("state").asText()).containsOnly("sent");
        assertThat(fake.posted(GROUP)).hasSize(before + 1);
    }
}
