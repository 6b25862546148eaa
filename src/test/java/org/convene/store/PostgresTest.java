package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same service on a real PostgreSQL: migrations, Quartz's store, the outbox and the reply flows. */
class PostgresTest {
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void a_meeting_goes_out_and_its_answers_and_reports_come_back_on_postgresql() {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        try (TestConvene app = TestConvene.start(Map.of("CONVENE_DATABASE_URL", url))) {
            assertThat(app.anonymous.get("/health").body().get("database").asText()).isEqualTo("ok");
            long unit = app.unit("Chi bộ PostgreSQL");
            long lan = app.member(unit, "Trần Thị Lan", "u-lan");
            app.member(unit, "Lê Văn Minh", "u-minh");
            app.localChat(unit, "pg");
            // the agenda is due 10 s ahead, not at once: a reminder due on creation may fire before the upload below lands
            JsonNode meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT2H59M50S", Map.of("offset", "PT1H", "kind", "chase")));
            long id = meeting.get("id").asLong();
            assertThat(app.api.upload("/api/v1/meetings/" + id + "/materials", "a.pdf", Samples.pdf(), "application/pdf").status()).isEqualTo(201);
            app.advance(Duration.ofSeconds(10));
            await("agenda and document", () -> app.localMessages("pg").size() == 2);
            JsonNode agenda = app.localMessages("pg").get(0);
            Http.Reply press = app.api.post("/api/v1/local/chats/pg/press", Map.of("messageId", agenda.get("messageId").asLong(),
                    "buttonId", agenda.at("/buttons/2/id").asText(), "userId", "u-lan", "userName", "Lan"));
            assertThat(press.status()).isEqualTo(200);
            app.api.post("/api/v1/local/chats/pg/say", Map.of("userId", "u-minh", "userName", "Minh", "text", "có"));
            JsonNode responses = app.api.get("/api/v1/meetings/" + id + "/responses").body();
            assertThat(responses.get("summary").toString()).isEqualTo("{\"invited\":2,\"received\":2,\"yes\":1,\"no\":1,\"noReply\":0,\"observers\":0}");
            app.api.put("/api/v1/meetings/" + id + "/minutes", Map.of("text", "Biên bản", "decisions",
                    List.of(Map.of("text", "Nộp đảng phí", "assigneeMemberId", lan))));
            assertThat(app.api.get("/api/v1/units/" + unit + "/tasks").body()).hasSize(1);
            app.clock.advance(Duration.ofHours(6));
            app.api.put("/api/v1/meetings/" + id + "/attendance", List.of(Map.of("memberId", lan, "status", "excused")));
            JsonNode report = app.api.get("/api/v1/reports/units?unitId=" + unit + "&from=2026-12-01&to=2026-12-31").body();
            assertThat(report.get("rows").get(0).get("invited").asInt()).isEqualTo(2);
            assertThat(app.api.get("/api/v1/meetings/" + id + "/deliveries").body()).extracting(d -> d.get("state").asText()).doesNotContain("failed");
        }
    }

    @Test
    void documents_are_replaced_asked_again_viewed_and_logged_on_postgresql() {
        // a database of its own: the other test's service leaves its leases behind at its own clock's hour
        try (var c = java.sql.DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres")); var st = c.createStatement()) {
            st.execute("CREATE DATABASE documents20");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        String url = postgres.getJdbcUrl("postgres", "documents20");
        try (TestConvene app = TestConvene.start(Map.of("CONVENE_DATABASE_URL", url))) {
            long unit = app.unit("Chi bộ tài liệu");
            long lan = app.member(unit, "Trần Thị Lan Hai", "u-lan-docs");
            app.localChat(unit, "pg-docs");
            // the agenda is due in 10 s, after both documents are attached (one due now could go before them, as late ones do)
            long id = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT2H59M50S")).get("id").asLong();
            long v1 = app.api.upload("/api/v1/meetings/" + id + "/materials", "a.pdf", Samples.pdf(), "application/pdf").body().get("id").asLong();
            long secret = app.api.uploadWith("/api/v1/meetings/" + id + "/materials", Map.of("confidential", "true"), "mat.pdf",
                    Samples.pdfPages(1), "application/pdf").body().get("id").asLong();
            app.advance(Duration.ofSeconds(10));
            await("agenda and document", () -> app.localMessages("pg-docs").size() == 2);
            JsonNode agenda = app.localMessages("pg-docs").get(0);
            app.api.post("/api/v1/local/chats/pg-docs/press", Map.of("messageId", agenda.get("messageId").asLong(),
                    "buttonId", agenda.at("/buttons/0/id").asText(), "userId", "u-lan-docs", "userName", "Lan"));

            Http.Reply v2 = app.api.upload("/api/v1/materials/" + v1 + "/versions", "a.pdf", Samples.pdf("v2"), "application/pdf");
            app.advance(Duration.ZERO);
            await("notice, new version and the question", () -> app.localMessages("pg-docs").size() == 5);
            org.convene.support.WebClient browser = new org.convene.support.WebClient("http://localhost:" + app.convene.port());
            browser.signIn(app.convene.services().signIn().readerLinkFor(lan, "/documents").url());
            int page = browser.get("/documents/" + secret + "/pages/1").status();

            assertThat(v2.status()).isEqualTo(201);
            assertThat(app.api.get("/api/v1/meetings/" + id + "/responses").body().at("/documents/revision").asInt()).isEqualTo(1);
            assertThat(page).isEqualTo(200);
            JsonNode views = app.api.get("/api/v1/materials/" + secret + "/views").body();
            assertThat(views.get("views")).extracting(v -> v.get("kind").asText()).containsExactly("page");
            assertThat(views.at("/receipts/0/lastVersion").asInt()).isEqualTo(1);
        }
    }
}
