package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 1 on the local platform: a document attached after the agenda went out is posted with a
 * notice; replacing one makes a new version, tells the chat and asks again only those who had acknowledged.
 */
class DocumentVersionsTest {
    static final String CHAT = "lac-thanh";
    TestConvene app;
    long unit;
    long lan;
    long minh;
    long meetingId;

    @BeforeEach
    void aMeetingWhoseAgendaIsDueInTenSeconds() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        lan = app.member(unit, "Trần Thị Lan", "u-lan");
        minh = app.member(unit, "Lê Văn Minh", "u-minh");
        app.localChat(unit, CHAT);
        meetingId = app.meeting(unit, "2026-12-01T11:00:00", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda"))).get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private JsonNode attach(String name, byte[] content) {
        Http.Reply r = app.api.upload("/api/v1/meetings/" + meetingId + "/materials", name, content, "application/pdf");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body();
    }

    private JsonNode replace(long materialId, String name, byte[] content) {
        Http.Reply r = app.api.upload("/api/v1/materials/" + materialId + "/versions", name, content, "application/pdf");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body();
    }

    private void agendaGoesOut(int messages) {
        app.advance(Duration.ofSeconds(10));
        await("the agenda in the chat", () -> app.localMessages(CHAT).size() == messages);
    }

    private List<JsonNode> messages() {
        List<JsonNode> list = new ArrayList<>();
        app.localMessages(CHAT).forEach(list::add);
        return list;
    }

    private JsonNode press(JsonNode message, String userId) {
        Http.Reply r = app.api.post("/api/v1/local/chats/" + CHAT + "/press", Map.of("messageId", message.get("messageId").asLong(),
                "buttonId", message.at("/buttons/0/id").asText(), "userId", userId, "userName", userId));
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    private JsonNode responses() {
        return app.api.get("/api/v1/meetings/" + meetingId + "/responses").body();
    }

    @Test
    void a_document_attached_after_the_agenda_went_out_is_posted_with_a_short_notice() {
        agendaGoesOut(1);

        JsonNode material = attach("Báo cáo bổ sung.pdf", Samples.pdf());

        await("the notice and the document", () -> app.localMessages(CHAT).size() == 3);
        List<JsonNode> messages = messages();
        assertThat(messages.get(1).get("text").asText()).startsWith("📎 Tài liệu mới cho \"Sinh hoạt chi bộ tháng 12\" (01/12/2026 11:00)")
                .contains("Báo cáo bổ sung.pdf");
        assertThat(messages.get(2).at("/document/filename").asText()).isEqualTo("Báo cáo bổ sung.pdf");
        assertThat(material.get("version").asInt()).isEqualTo(1);
        assertThat(material.get("documentId").asLong()).isEqualTo(material.get("id").asLong());
    }

    @Test
    void a_document_attached_before_the_agenda_goes_with_it_and_is_not_posted_twice() {
        attach("Nghị quyết.pdf", Samples.pdf());

        agendaGoesOut(2);
        app.advance(Duration.ofMinutes(1));

        assertThat(messages()).hasSize(2);
        assertThat(messages().get(1).at("/document/filename").asText()).isEqualTo("Nghị quyết.pdf");
    }

    @Test
    void replacing_a_posted_document_tells_the_chat_and_asks_again_only_those_who_had_acknowledged() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();
        agendaGoesOut(2);
        press(messages().get(0), "u-lan");
        assertThat(MeetingFlowTest.find(responses().get("members"), lan).get("latestDocuments").asBoolean()).isTrue();
        app.clock.advance(Duration.ofMinutes(5));

        JsonNode v2 = replace(v1, "Nghị quyết (sửa).pdf", Samples.pdf("v2"));

        await("the notice, the new version and the question", () -> app.localMessages(CHAT).size() == 5);
        List<JsonNode> messages = messages();
        assertThat(messages.get(2).get("text").asText()).startsWith("🔁 Tài liệu \"Nghị quyết.pdf\" của \"Sinh hoạt chi bộ tháng 12\"")
                .contains("phiên bản 2: Nghị quyết (sửa).pdf");
        assertThat(messages.get(3).at("/document/filename").asText()).isEqualTo("Nghị quyết (sửa).pdf");
        JsonNode ask = messages.get(4);
        assertThat(ask.get("text").asText()).startsWith("Trần Thị Lan: ").contains("phiên bản 2").doesNotContain("Lê Văn Minh");
        assertThat(ask.get("mentions")).extracting(JsonNode::asText).containsExactly("u-lan");
        assertThat(ask.get("buttons")).extracting(b -> b.get("label").asText()).containsExactly("✅ Đã nhận");
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("documentId").asLong()).isEqualTo(v1);

        JsonNode before = responses();
        assertThat(before.at("/summary/received").asInt()).isEqualTo(1);
        assertThat(before.at("/documents/revision").asInt()).isEqualTo(1);
        assertThat(before.at("/documents/latest").asInt()).isZero();
        assertThat(MeetingFlowTest.find(before.get("members"), lan).get("latestDocuments").asBoolean()).isFalse();
        assertThat(MeetingFlowTest.find(before.get("members"), minh).get("latestDocuments").isNull()).isTrue();

        long hung = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
        org.convene.support.WebClient secretary = new org.convene.support.WebClient("http://localhost:" + app.convene.port());
        secretary.signIn(app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body().get("url").asText());
        assertThat(secretary.get("/meetings/" + meetingId).body()).contains("data-testid=\"ledger-documents-" + lan + "\">bản cũ</span>");

        press(ask, "u-lan");

        JsonNode after = responses();
        assertThat(after.at("/documents/latest").asInt()).isEqualTo(1);
        assertThat(MeetingFlowTest.find(after.get("members"), lan).get("latestDocuments").asBoolean()).isTrue();
        assertThat(secretary.get("/meetings/" + meetingId).body()).contains("data-testid=\"ledger-documents-" + lan + "\">bản mới nhất</span>");
    }

    @Test
    void the_old_version_stays_in_the_history_and_the_list_shows_the_current_one() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();
        long v2 = replace(v1, "Nghị quyết.pdf", Samples.pdf("v2")).get("id").asLong();

        JsonNode list = app.api.get("/api/v1/meetings/" + meetingId + "/materials").body();
        assertThat(list).extracting(m -> m.get("id").asLong()).containsExactly(v2);
        JsonNode versions = app.api.get("/api/v1/materials/" + v2 + "/versions").body();
        assertThat(versions).extracting(m -> m.get("version").asInt()).containsExactly(1, 2);
        assertThat(versions.get(0).get("replacedAt").asText()).startsWith("2026-12-01T01:00");
        assertThat(versions.get(1).get("replacedAt").isNull()).isTrue();
        assertThat(app.api.getBytes("/api/v1/materials/" + v1 + "/content")).isEqualTo(Samples.pdf());
        assertThat(app.api.getBytes("/api/v1/materials/" + v2 + "/content")).isEqualTo(Samples.pdf("v2"));
    }

    @Test
    void a_document_replaced_before_the_agenda_went_out_goes_out_once_in_its_new_version_and_nobody_is_asked() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();
        replace(v1, "Nghị quyết mới.pdf", Samples.pdf("v2"));

        agendaGoesOut(2);

        assertThat(messages().get(0).get("text").asText()).contains("Nghị quyết mới.pdf").doesNotContain("Nghị quyết.pdf");
        assertThat(messages().get(1).at("/document/filename").asText()).isEqualTo("Nghị quyết mới.pdf");
    }

    @Test
    void replacing_a_version_that_was_replaced_already_is_a_conflict() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();
        replace(v1, "Nghị quyết.pdf", Samples.pdf("v2"));

        Http.Reply again = app.api.upload("/api/v1/materials/" + v1 + "/versions", "Nghị quyết.pdf", Samples.pdf("v3"), "application/pdf");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("conflict");
        assertThat(again.body().at("/error/message").asText()).contains("version 1", "replaced already");
    }

    @Test
    void replacing_without_a_file_or_an_unknown_material_answers_in_the_contracts_shape() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();

        Http.Reply json = app.api.post("/api/v1/materials/" + v1 + "/versions", Map.of("file", "x"));
        Http.Reply missing = app.api.upload("/api/v1/materials/99999/versions", "a.pdf", Samples.pdf(), "application/pdf");
        Http.Reply exe = app.api.upload("/api/v1/materials/" + v1 + "/versions", "a.pdf", Samples.exe(), "application/pdf");

        assertThat(json.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(exe.status()).isEqualTo(415);
        assertThat(app.api.get("/api/v1/materials/" + v1 + "/versions").body()).hasSize(1);
    }

    @Test
    void a_unit_token_of_another_unit_cannot_replace_or_list_versions() {
        long v1 = attach("Nghị quyết.pdf", Samples.pdf()).get("id").asLong();
        long other = app.unit("Chi bộ khác");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        Http.Reply replace = app.api.as(token).upload("/api/v1/materials/" + v1 + "/versions", "a.pdf", Samples.pdf("x"), "application/pdf");
        Http.Reply versions = app.api.as(token).get("/api/v1/materials/" + v1 + "/versions");

        assertThat(replace.status()).isEqualTo(403);
        assertThat(versions.status()).isEqualTo(403);
    }

    @Test
    void a_confidential_word_document_is_refused_with_a_clear_message() {
        Http.Reply r = app.api.uploadWith("/api/v1/meetings/" + meetingId + "/materials", Map.of("confidential", "true"), "Mật.docx",
                Samples.docx(), "application/octet-stream");

        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body().at("/error/message").asText()).contains("confidential", "DOCX", "save it as PDF");
    }
}
