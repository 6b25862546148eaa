package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One person in two units, memberships ended or deleted, drafts and documents taken back, and the audit trail of it all. */
class RosterUndoTest {
    TestConvene app;
    long district;
    long cell;
    long union;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        district = app.unit("Đảng uỷ xã");
        cell = app.unitUnder(district, "Chi bộ thôn Đông");
        union = app.unit("Chi đoàn thôn Đông");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_person_joins_a_second_unit_by_personId_with_a_role_and_status_of_its_own() {
        long lan = created(app.api.post("/api/v1/units/" + cell + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", "4242",
                "role", "deputy")));
        Http.Reply again = app.api.post("/api/v1/units/" + union + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", "4242"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text()).contains("personId " + lan);

        Http.Reply added = app.api.post("/api/v1/units/" + union + "/members", Map.of("personId", lan, "role", "secretary",
                "status", "probationary", "joinedOn", "2026-11-20"));

        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.body().get("personId").asLong()).isEqualTo(lan);
        assertThat(added.body().get("name").asText()).isEqualTo("Trần Thị Lan");
        assertThat(added.body().get("telegramUserId").asText()).isEqualTo("4242");
        assertThat(added.body().get("role").asText()).isEqualTo("secretary");
        assertThat(added.body().get("status").asText()).isEqualTo("probationary");
        JsonNode inCell = app.api.get("/api/v1/units/" + cell + "/members/" + lan).body();
        assertThat(inCell.get("role").asText()).isEqualTo("deputy");
        assertThat(inCell.get("status").asText()).isEqualTo("official");
        assertThat(app.api.post("/api/v1/units/" + union + "/members", Map.of("personId", lan)).status()).isEqualTo(409);
        assertThat(app.api.post("/api/v1/units/" + union + "/members", Map.of("personId", 999_999)).status()).isEqualTo(404);
    }

    @Test
    void only_someone_who_reaches_one_of_the_persons_units_may_add_them_elsewhere() {
        long lan = app.member(cell, "Trần Thị Lan", null);
        String unionSecretary = app.api.post("/api/v1/units/" + union + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        Http.Reply refused = app.api.as(unionSecretary).post("/api/v1/units/" + union + "/members", Map.of("personId", lan));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(app.api.get("/api/v1/units/" + union + "/members").body()).isEmpty();
    }

    @Test
    void a_member_created_by_mistake_is_deleted_but_one_with_attendance_is_only_ended() {
        long typo = app.member(cell, "Nguyễn Văn Anhh", null);
        long an = app.member(cell, "Nguyễn Văn An", null);
        long meeting = app.meeting(cell, "2026-12-01T19:30", List.of()).get("id").asLong();
        app.clock.advance(Duration.ofHours(12)); // the meeting has begun
        assertThat(app.api.put("/api/v1/meetings/" + meeting + "/attendance", List.of(Map.of("memberId", an, "status", "present"))).status())
                .isEqualTo(200);

        assertThat(app.api.delete("/api/v1/units/" + cell + "/members/" + typo).status()).isEqualTo(204);
        Http.Reply kept = app.api.delete("/api/v1/units/" + cell + "/members/" + an);

        assertThat(kept.status()).isEqualTo(409);
        assertThat(kept.text()).contains("end the membership");
        assertThat(app.api.get("/api/v1/units/" + cell + "/members").body()).extracting(m -> m.get("id").asLong()).containsExactly(an);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/attendance").body()).extracting(m -> m.get("memberId").asLong())
                .containsExactly(an);
        assertThat(app.api.delete("/api/v1/units/" + cell + "/members/" + typo).status()).isEqualTo(404);

        Http.Reply noReason = app.api.patch("/api/v1/units/" + cell + "/members/" + an, Map.of("leftOn", "2026-12-10"));
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.text()).contains("leftReason");
        Http.Reply ended = app.api.patch("/api/v1/units/" + cell + "/members/" + an, Map.of("leftOn", "2026-12-10", "leftReason", "transferred"));
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.body().get("leftReason").asText()).isEqualTo("transferred");
        assertThat(app.api.get("/api/v1/units/" + cell + "/members?on=2026-12-10").body()).isEmpty();
        assertThat(app.api.get("/api/v1/units/" + cell + "/members?on=2026-12-09").body()).hasSize(1);

        Map<String, Object> reopen = new HashMap<>();
        reopen.put("leftOn", null);
        Http.Reply reopened = app.api.patch("/api/v1/units/" + cell + "/members/" + an, reopen);
        assertThat(reopened.body().get("leftOn").isNull()).isTrue();
        assertThat(app.api.get("/api/v1/units/" + cell + "/members?on=2026-12-10").body()).hasSize(1);
    }

    @Test
    void a_patch_with_bad_values_is_422_and_changes_nothing() {
        long an = app.member(cell, "Nguyễn Văn An", null);
        Http.Reply r = app.api.patch("/api/v1/units/" + cell + "/members/" + an,
                Map.of("name", "Nguyễn Văn Bình", "status", "retired", "joinedOn", "yesterday", "leftReason", "bored"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().at("/error/details").findValues("field")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("status", "joinedOn", "leftReason");
        assertThat(app.api.get("/api/v1/units/" + cell + "/members/" + an).body().get("name").asText()).isEqualTo("Nguyễn Văn An");
        assertThat(app.api.patch("/api/v1/units/" + cell + "/members/" + 999_999, Map.of("name", "X")).status()).isEqualTo(404);
    }

    @Test
    void a_draft_meeting_and_its_document_are_deleted_until_the_agenda_goes_out() {
        app.member(cell, "Trần Thị Lan", "u-lan");
        app.localChat(cell, "dong");
        long draft = app.meeting(cell, "2026-12-20T19:30", List.of("P1D")).get("id").asLong();
        long wrong = upload(draft, "nham.pdf");
        assertThat(app.api.delete("/api/v1/materials/" + wrong).status()).isEqualTo(204);
        assertThat(app.api.get("/api/v1/meetings/" + draft + "/materials").body()).isEmpty();
        assertThat(app.api.delete("/api/v1/meetings/" + draft).status()).isEqualTo(204);
        assertThat(app.api.get("/api/v1/meetings/" + draft).status()).isEqualTo(404);

        // due in 10 s: the agenda and its document go out, after which both stay
        long posted = app.meeting(cell, "2026-12-01T11:00:00", List.of(Map.of("offset", "PT2H59M50S", "kind", "agenda"))).get("id").asLong();
        long document = upload(posted, "nghi-quyet.pdf");
        app.advance(Duration.ofSeconds(10));
        await("agenda and document in the chat", () -> app.localMessages("dong").size() == 2);

        Http.Reply material = app.api.delete("/api/v1/materials/" + document);
        Http.Reply meeting = app.api.delete("/api/v1/meetings/" + posted);

        assertThat(material.status()).isEqualTo(409);
        assertThat(meeting.status()).isEqualTo(409);
        assertThat(meeting.text()).contains("cancel");
        assertThat(app.api.get("/api/v1/meetings/" + posted + "/materials").body()).hasSize(1);
    }

    @Test
    void attendance_opens_one_hour_before_the_meeting_and_not_earlier() {
        long an = app.member(cell, "Nguyễn Văn An", null);
        long meeting = app.meeting(cell, "2026-12-01T19:30", List.of()).get("id").asLong(); // 12:30 UTC; the clock is at 01:00
        List<Map<String, Object>> body = List.of(Map.of("memberId", an, "status", "present"));

        Http.Reply early = app.api.put("/api/v1/meetings/" + meeting + "/attendance", body);
        app.clock.advance(Duration.ofMinutes(10 * 60 + 29)); // 18:29 local
        Http.Reply stillEarly = app.api.put("/api/v1/meetings/" + meeting + "/attendance", body);
        app.clock.advance(Duration.ofMinutes(1)); // 18:30 local
        Http.Reply open = app.api.put("/api/v1/meetings/" + meeting + "/attendance", body);

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.text()).contains("one hour before it begins (2026-12-01T18:30+07:00)");
        assertThat(stillEarly.status()).isEqualTo(409);
        assertThat(open.status()).as(open.text()).isEqualTo(200);
    }

    @Test
    void the_audit_shows_who_changed_what_to_the_units_secretary_and_supervisors_only() {
        String secretary = token(cell, "secretary");
        String supervisor = token(district, "supervisor");
        String stranger = token(union, "secretary");
        long an = created(app.api.as(secretary).post("/api/v1/units/" + cell + "/members", Map.of("name", "Nguyễn Văn An")));
        app.api.as(secretary).patch("/api/v1/units/" + cell + "/members/" + an, Map.of("status", "exempt", "statusFrom", "2026-12-05"));
        long typo = app.member(cell, "Nguyễn Văn Anhh", null);
        app.api.delete("/api/v1/units/" + cell + "/members/" + typo);
        long draft = app.meeting(cell, "2026-12-20T19:30", List.of()).get("id").asLong();
        app.api.as(secretary).delete("/api/v1/meetings/" + draft);

        Http.Reply audit = app.api.as(supervisor).get("/api/v1/units/" + cell + "/audit?from=2026-12-01&to=2026-12-01");

        assertThat(audit.status()).as(audit.text()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        for (JsonNode e : audit.body().get("events")) lines.add(e.get("action").asText() + " by " + e.get("actor").asText());
        // newest first
        assertThat(lines.getFirst()).startsWith("meeting.deleted by secretary-token:");
        assertThat(lines).containsSubsequence("meeting.created by admin", "member.deleted by admin", "member.added by admin");
        assertThat(lines).filteredOn(l -> l.startsWith("member.changed by secretary-token:")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("member.added by secretary-token:")).hasSize(1);
        assertThat(audit.body().get("events").get(0).get("at").asText()).endsWith("+07:00");
        assertThat(app.api.as(secretary).get("/api/v1/units/" + cell + "/audit").status()).isEqualTo(200);
        assertThat(app.api.as(stranger).get("/api/v1/units/" + cell + "/audit").status()).isEqualTo(403);
        assertThat(app.api.get("/api/v1/units/" + cell + "/audit?from=2026-12-31&to=2026-12-01").status()).isEqualTo(422);
        assertThat(app.api.get("/api/v1/units/" + cell + "/audit?from=2026-11-01&to=2026-11-30").body().get("events")).isEmpty();
    }

    @Test
    void the_csv_import_reads_statuses_dates_and_zalo_ids_and_the_export_imports_back() {
        String csv = "Họ tên;Tình trạng;Ngày vào;Ngày ra;Lý do ra;Mã Zalo\n"
                + "Nguyễn Văn An;chính thức;2020-05-19;;;\n"
                + "Trần Thị Bích;Miễn sinh hoạt;;;;zl-bich\n"
                + "Lê Văn Cường;dự bị;2026-01-10;2026-11-15;chuyển sinh hoạt;\n"
                + "Phạm Thị Dung;nghỉ hưu;;;;\n"
                + "Hoàng Văn Em;;;2026-11-15;;\n";
        JsonNode result = app.api.postRaw("/api/v1/units/" + cell + "/members/import", csv, "text/csv").body();
        assertThat(result.get("created").asInt()).isEqualTo(3);
        assertThat(result.get("errors")).extracting(e -> e.get("line").asLong()).containsExactly(5L, 6L);

        Map<String, String> rows = new HashMap<>();
        for (JsonNode m : app.api.get("/api/v1/units/" + cell + "/members").body()) {
            rows.put(m.get("name").asText(), m.get("status").asText() + " " + m.get("joinedOn").asText() + " " + m.get("leftOn").asText()
                    + " " + m.get("leftReason").asText() + " " + m.get("zaloUserId").asText());
        }
        assertThat(rows).containsOnly(Map.entry("Nguyễn Văn An", "official 2020-05-19 null null null"),
                Map.entry("Trần Thị Bích", "exempt null null null zl-bich"),
                Map.entry("Lê Văn Cường", "probationary 2026-01-10 2026-11-15 transferred null"));

        Http.Reply export = app.api.get("/api/v1/units/" + cell + "/members?format=csv");
        assertThat(export.contentType()).startsWith("text/csv");
        assertThat(export.text()).contains("name,role,phone,telegramUserId,zaloUserId,status,joinedOn,leftOn,leftReason",
                "Lê Văn Cường,member,,,,probationary,2026-01-10,2026-11-15,transferred");
        String again = export.text().replace("\uFEFF", "").replace(",zl-bich,", ",,"); // the Zalo account stays with its person
        JsonNode reimport = app.api.postRaw("/api/v1/units/" + union + "/members/import", again, "text/csv").body();
        assertThat(reimport.get("created").asInt()).as(reimport.toString()).isEqualTo(3);
        Http.Reply copy = app.api.get("/api/v1/units/" + union + "/members?format=csv");
        assertThat(copy.text().replace("\uFEFF", "")).isEqualTo(again);
    }

    @Test
    void unlinking_an_account_and_releasing_a_chat_are_on_the_units_audit() {
        long lan = app.member(cell, "Trần Thị Lan", "u-lan");
        long chat = app.localChat(cell, "dong");

        assertThat(app.api.delete("/api/v1/units/" + cell + "/members/" + lan + "/accounts/local").status()).isBetween(200, 204);
        assertThat(app.api.post("/api/v1/units/" + cell + "/chats/" + chat + "/release", Map.of()).status()).isBetween(200, 204);

        List<String> actions = new ArrayList<>();
        for (JsonNode e : app.api.get("/api/v1/units/" + cell + "/audit").body().get("events")) actions.add(e.get("action").asText());
        assertThat(actions).contains("account.unlinked", "chat.released");
    }

    private String token(long unit, String role) {
        return app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", role)).body().get("token").asText();
    }

    private long upload(long meeting, String name) {
        Http.Reply r = app.api.upload("/api/v1/meetings/" + meeting + "/materials", name, Samples.pdf(), "application/pdf");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private static long created(Http.Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }
}
