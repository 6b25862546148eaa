package org.convene.chat.telegram;

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

/**
 * Issue 20 on Telegram, end to end against the fake Bot API: a replaced document is uploaded again in
 * its new version with the notice, and only the member who had acknowledged is asked again, by a mention
 * and a Received button that counts; a confidential document is never uploaded.
 */
class TelegramDocumentsTest {
    static final String GROUP = "-1002223334445";
    static final FakeBotApi.User LAN = new FakeBotApi.User(5550001, "Lan", "lan_tran");

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;
    long unit;
    long lan;
    long meetingId;

    @BeforeEach
    void aLinkedGroupAndAMeetingDueInTenSeconds() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        unit = app.unit("Chi bộ khu Lạc Thanh");
        lan = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", "5550001"))
                .body().get("id").asLong();
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Văn Minh", "telegramUserId", "5550002"));
        fake.push(fake.botAddedUpdate(GROUP, "Chi bộ khu Lạc Thanh"));
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        assertThat(fake.push(fake.textUpdate(GROUP, LAN, "/link " + code)).status()).isEqualTo(200);
        meetingId = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Sinh hoạt chi bộ", "startsAt", "2026-12-01T11:00:00",
                "reminders", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda")))).body().get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
        fake.close();
    }

    private boolean settled() {
        JsonNode rows = app.api.get("/api/v1/meetings/" + meetingId + "/deliveries").body();
        if (rows.isEmpty()) return false;
        for (JsonNode d : rows) if (!List.of("sent", "failed").contains(d.get("state").asText())) return false;
        return true;
    }

    private FakeBotApi.Posted agenda() {
        return fake.messages(GROUP).stream().filter(m -> m.fileId == null && m.buttonData().size() == 3).findFirst().orElseThrow();
    }

    @Test
    void a_replaced_document_is_uploaded_again_and_only_the_member_who_had_acknowledged_is_asked_and_counted_again() {
        long v1 = app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf")
                .body().get("id").asLong();
        app.advance(Duration.ofSeconds(10));
        await("agenda and document", () -> {
            app.advance(Duration.ofSeconds(1));
            return settled();
        });
        FakeBotApi.Posted agenda = agenda();
        fake.push(fake.pressUpdate(agenda, LAN, agenda.buttonData().get(0)));
        int before = fake.messages(GROUP).size();

        Http.Reply v2 = app.api.upload("/api/v1/materials/" + v1 + "/versions", "Nghị quyết (sửa).pdf", Samples.pdf("v2"), "application/pdf");
        // a group takes about one message a second: the test's clock moves on as Telegram's would
        await("the notice, the new file and the question", () -> {
            app.advance(Duration.ofSeconds(1));
            return settled() && fake.messages(GROUP).size() == before + 3;
        });

        assertThat(v2.status()).isEqualTo(201);
        List<FakeBotApi.Posted> after = fake.messages(GROUP).subList(before, before + 3);
        assertThat(after.get(0).text).startsWith("🔁 Tài liệu \"Nghị quyết.pdf\"");
        assertThat(after.get(1).fileId).isNotNull();
        assertThat(fake.uploads().values()).extracting(FakeBotApi.Upload::filename).contains("Nghị quyết (sửa).pdf");
        FakeBotApi.Posted ask = after.get(2);
        assertThat(ask.text).startsWith("Trần Thị Lan: ").doesNotContain("Lê Văn Minh");
        assertThat(ask.html).contains("tg://user?id=5550001");
        assertThat(ask.buttonData()).hasSize(1);
        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body().at("/documents/latest").asInt()).isZero();

        fake.push(fake.pressUpdate(ask, LAN, ask.buttonData().get(0)));

        assertThat(app.api.get("/api/v1/meetings/" + meetingId + "/responses").body().at("/documents/latest").asInt()).isEqualTo(1);
    }

    @Test
    void a_confidential_document_is_never_uploaded_and_the_agenda_links_to_its_viewer() {
        long id = app.api.uploadWith("/api/v1/meetings/" + meetingId + "/materials", Map.of("confidential", "true"), "Mật.pdf",
                Samples.pdfPages(1), "application/pdf").body().get("id").asLong();

        app.advance(Duration.ofSeconds(10));
        await("the agenda", this::settled);

        assertThat(fake.calls("sendDocument")).isEmpty();
        assertThat(agenda().text).contains("🔒 Mật.pdf", "https://convene.example.org/documents/" + id);
    }

    @Test
    void docs_in_a_private_chat_gives_the_member_their_own_link_and_in_the_group_nothing() {
        fake.push(fake.textUpdate("5550001", LAN, "/docs"));
        await("the personal link", () -> fake.messages("5550001").stream().anyMatch(m -> m.text.contains("/login/")));
        fake.push(fake.textUpdate(GROUP, LAN, "/docs"));
        app.advance(Duration.ofSeconds(1));

        String text = fake.messages("5550001").stream().filter(m -> m.text.contains("/login/")).findFirst().orElseThrow().text;
        assertThat(text).startsWith("Đường dẫn đọc tài liệu cuộc họp").contains("https://convene.example.org/login/");
        String link = text.substring(text.indexOf("https://convene.example.org/login/")).split("\\s", 2)[0];
        org.convene.support.WebClient browser = new org.convene.support.WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(link).location()).isEqualTo("/documents");
        assertThat(browser.get("/documents").body()).contains("Trần Thị Lan");
        assertThat(fake.messages(GROUP).stream().filter(m -> m.text != null && m.text.contains("/login/"))).isEmpty();
    }
}
