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
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, item 2 on the local platform: openings by signed-in members are read receipts per member and
 * version, whether through a document's own page or the meeting's materials page, and the reminder names
 * only those who have not opened the current version.
 */
class ReadReceiptsTest {
    static final String CHAT = "c-read";
    TestConvene app;
    long unit;
    long lan;
    long minh;
    long hoa;
    long meetingId;
    long documentId;

    @BeforeEach
    void aMeetingWithOneDocument() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ Đồng Tâm");
        lan = app.member(unit, "Trần Thị Lan", "u-lan");
        minh = app.member(unit, "Lê Văn Minh", "u-minh");
        hoa = app.member(unit, "Phạm Thị Hoa", null);
        app.localChat(unit, CHAT);
        meetingId = app.meeting(unit, "2026-12-03T19:30:00", List.of("P1D")).get("id").asLong();
        documentId = app.api.upload("/api/v1/meetings/" + meetingId + "/materials", "Báo cáo.pdf", Samples.pdf(), "application/pdf")
                .body().get("id").asLong();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private WebClient signedIn(long person, String next) {
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(app.convene.services().signIn().readerLinkFor(person, next).url()).status()).isEqualTo(303);
        return browser;
    }

    private JsonNode receipt(long member) {
        for (JsonNode r : app.api.get("/api/v1/materials/" + documentId + "/views").body().get("receipts")) {
            if (r.get("memberId").asLong() == member) return r;
        }
        throw new AssertionError("no receipt of " + member);
    }

    @Test
    void a_signed_in_download_from_the_materials_page_is_a_receipt_and_an_anonymous_one_is_not() {
        String page = app.api.get("/api/v1/meetings/" + meetingId + "/materials-page").body().get("url").asText();
        String path = page.substring(page.indexOf("/m/")) + "/" + documentId;
        WebClient lanBrowser = signedIn(lan, "/documents");

        assertThat(lanBrowser.get(path).status()).isEqualTo(200);
        assertThat(new WebClient("http://localhost:" + app.convene.port()).get(path).status()).isEqualTo(200);

        assertThat(receipt(lan).get("lastVersion").asInt()).isEqualTo(1);
        assertThat(receipt(lan).get("openedCurrent").asBoolean()).isTrue();
        assertThat(app.api.get("/api/v1/materials/" + documentId + "/views").body().get("views")).hasSize(1);
        assertThat(receipt(minh).get("lastVersion").isNull()).isTrue();
    }

    @Test
    void receipts_are_per_version_a_new_version_opened_later_counts_for_it() {
        WebClient lanBrowser = signedIn(lan, "/documents/" + documentId);
        assertThat(lanBrowser.get("/documents/" + documentId + "/file").status()).isEqualTo(200);
        long v2 = app.api.upload("/api/v1/materials/" + documentId + "/versions", "Báo cáo.pdf", Samples.pdf("v2"), "application/pdf")
                .body().get("id").asLong();
        assertThat(receipt(lan).get("openedCurrent").asBoolean()).isFalse();

        lanBrowser.get("/documents/" + v2);

        assertThat(receipt(lan).get("lastVersion").asInt()).isEqualTo(2);
        assertThat(receipt(lan).get("openedCurrent").asBoolean()).isTrue();
        JsonNode views = app.api.get("/api/v1/materials/" + documentId + "/views").body().get("views");
        assertThat(views).extracting(v -> v.get("version").asInt() + ":" + v.get("kind").asText()).containsExactly("2:opened", "1:downloaded");
    }

    @Test
    void the_reminder_names_only_those_who_have_not_opened_the_current_version() {
        signedIn(lan, "/documents").get("/documents/" + documentId);

        Http.Reply r = app.api.post("/api/v1/materials/" + documentId + "/remind", "");
        app.advance(Duration.ZERO);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("notOpened").asInt()).isEqualTo(2);
        await("the reminder in the chat", () -> app.localMessages(CHAT).size() == 1);
        JsonNode message = app.localMessages(CHAT).get(0);
        assertThat(message.get("text").asText()).startsWith("Lê Văn Minh, Phạm Thị Hoa: đề nghị đọc tài liệu \"Báo cáo.pdf\"").contains("/docs")
                .doesNotContain("Trần Thị Lan");
        assertThat(message.get("mentions")).extracting(JsonNode::asText).containsExactly("u-minh");
    }

    @Test
    void the_secretary_reminds_from_the_page_and_nobody_is_reminded_when_all_have_opened() {
        long hung = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
        WebClient secretary = new WebClient("http://localhost:" + app.convene.port());
        secretary.signIn(app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body().get("url").asText());
        WebClient.Page views = secretary.get("/documents/" + documentId + "/views");

        WebClient.Page reminded = secretary.post("/documents/" + documentId + "/remind", Map.of("csrf", views.csrf()));

        assertThat(reminded.status()).isEqualTo(302);
        assertThat(reminded.location()).isEqualTo("/documents/" + documentId + "/views?reminded=sent");
        assertThat(secretary.get(reminded.location()).body()).contains("data-testid=\"views-reminded\"");
        for (long person : List.of(lan, minh, hoa, hung)) signedIn(person, "/documents").get("/documents/" + documentId);
        Http.Reply again = app.api.post("/api/v1/materials/" + documentId + "/remind", "");
        assertThat(again.body().get("notOpened").asInt()).isZero();
        assertThat(again.body().get("chats").asInt()).isZero();
    }
}
