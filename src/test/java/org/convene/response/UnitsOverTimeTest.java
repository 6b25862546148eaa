package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 2025 reform: a cell moves from one district to another mid-quarter, and one cell is merged into another. */
class UnitsOverTimeTest {
    TestConvene app;
    long province;
    long oldDistrict;
    long newDistrict;
    long cell;
    long an;
    long binh;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        province = app.unit("Tỉnh uỷ");
        oldDistrict = app.unitUnder(province, "Huyện uỷ cũ");
        newDistrict = app.unitUnder(province, "Đảng uỷ xã mới");
        cell = app.unitUnder(oldDistrict, "Chi bộ thôn Đông");
        an = app.member(cell, "An", null);
        binh = app.member(cell, "Bình", null);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_moved_cell_rolls_up_under_its_new_parent_from_the_move_and_its_past_stays_with_the_old_one() {
        long jan = meeting(cell, "2027-01-10T19:30");
        long mar = meeting(cell, "2027-03-10T19:30");
        Http.Reply moved = app.api.patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict, "parentFrom", "2027-02-01"));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.body().get("parentId").asLong()).isEqualTo(newDistrict);
        app.clock.advance(Duration.ofDays(121));
        attend(jan, "present", "absent");
        attend(mar, "present", "present");

        Map<String, String> rows = unitRows(province);
        assertThat(rows).containsEntry(oldDistrict + " 2027-01", "meetings=1 2/1").containsEntry(oldDistrict + " 2027-03", "meetings=0 0/0")
                .containsEntry(oldDistrict + " 2027-Q1", "meetings=1 2/1")
                .containsEntry(newDistrict + " 2027-01", "meetings=0 0/0").containsEntry(newDistrict + " 2027-03", "meetings=1 2/2")
                .containsEntry(newDistrict + " 2027-Q1", "meetings=1 2/2")
                .containsEntry(province + " 2027-Q1", "meetings=2 4/3").containsEntry(cell + " 2027-Q1", "meetings=2 4/3");
        assertThat(unitRows(oldDistrict)).containsEntry(oldDistrict + " 2027-Q1", "meetings=1 2/1");
        assertThat(unitRows(newDistrict)).containsEntry(newDistrict + " 2027-Q1", "meetings=1 2/2");
    }

    @Test
    void the_old_parent_lists_a_moved_cell_as_its_own_row_for_the_periods_it_spent_there_and_the_new_parent_from_the_move() {
        long stays = app.unitUnder(oldDistrict, "Chi bộ thôn Bắc");
        long cuong = app.member(stays, "Cường", null);
        long supervisor = app.memberAs(oldDistrict, "Giám sát huyện", "supervisor");
        long jan = meeting(cell, "2027-01-10T19:30");
        long mar = meeting(cell, "2027-03-10T19:30");
        long north = meeting(stays, "2027-01-15T19:30");
        assertThat(app.api.patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict, "parentFrom", "2027-02-01")).status()).isEqualTo(200);
        app.clock.advance(Duration.ofDays(121));
        attend(jan, "present", "absent");
        attend(mar, "present", "present");
        assertThat(app.api.put("/api/v1/meetings/" + north + "/attendance", List.of(Map.of("memberId", cuong, "status", "present"))).status())
                .isEqualTo(200);

        // January and the quarter with the old district, under it; February and March not at all
        assertThat(parentedRows(oldDistrict)).containsOnly(
                Map.entry(oldDistrict + " 2027-01", "parent=" + province + " meetings=2 3/2"),
                Map.entry(oldDistrict + " 2027-02", "parent=" + province + " meetings=0 0/0"),
                Map.entry(oldDistrict + " 2027-03", "parent=" + province + " meetings=0 0/0"),
                Map.entry(oldDistrict + " 2027-Q1", "parent=" + province + " meetings=2 3/2"),
                Map.entry(cell + " 2027-01", "parent=" + oldDistrict + " meetings=1 2/1"),
                Map.entry(cell + " 2027-Q1", "parent=" + oldDistrict + " meetings=1 2/1"),
                Map.entry(stays + " 2027-01", "parent=" + oldDistrict + " meetings=1 1/1"),
                Map.entry(stays + " 2027-02", "parent=" + oldDistrict + " meetings=0 0/0"),
                Map.entry(stays + " 2027-03", "parent=" + oldDistrict + " meetings=0 0/0"),
                Map.entry(stays + " 2027-Q1", "parent=" + oldDistrict + " meetings=1 1/1"));
        // the new district has it from February on, and no January row flags it as without a meeting
        assertThat(rowsOf(cell, parentedRows(newDistrict))).containsOnly(
                Map.entry(cell + " 2027-02", "parent=" + newDistrict + " meetings=0 0/0"),
                Map.entry(cell + " 2027-03", "parent=" + newDistrict + " meetings=1 2/2"),
                Map.entry(cell + " 2027-Q1", "parent=" + newDistrict + " meetings=1 2/2"));
        // above both, every month, under the parent it had then (the quarter: where it ended it)
        assertThat(rowsOf(cell, parentedRows(province))).containsOnly(
                Map.entry(cell + " 2027-01", "parent=" + oldDistrict + " meetings=1 2/1"),
                Map.entry(cell + " 2027-02", "parent=" + newDistrict + " meetings=0 0/0"),
                Map.entry(cell + " 2027-03", "parent=" + newDistrict + " meetings=1 2/2"),
                Map.entry(cell + " 2027-Q1", "parent=" + newDistrict + " meetings=2 4/3"));

        org.convene.support.WebClient browser = new org.convene.support.WebClient("http://localhost:" + app.convene.port());
        String link = app.api.post("/api/v1/units/" + oldDistrict + "/members/" + supervisor + "/login-link", "").body().get("url").asText();
        assertThat(browser.signIn(link).status()).isEqualTo(303);
        String january = browser.get("/units/" + oldDistrict + "/rollup?period=2027-01").body();
        assertThat(january).contains("data-testid=\"rollup-rate-child-" + cell + "\">50%<", "data-testid=\"rollup-rate-child-" + stays + "\">100%<",
                "data-testid=\"rollup-rate-total-" + oldDistrict + "\">67%<").doesNotContain("rollup-row-own-");
        assertThat(browser.get("/units/" + oldDistrict + "/rollup?period=2027-03").body()).contains("rollup-row-child-" + stays)
                .doesNotContain("rollup-row-child-" + cell);
        String report = browser.get("/units/" + oldDistrict + "/reports?to=2027-03").body();
        assertThat(report).contains("data-testid=\"report-rate-" + cell + "-2027-01\">50%<", "Chi bộ thôn Đông")
                .doesNotContain("report-rate-" + cell + "-2027-02", "report-rate-" + cell + "-2027-03");
        String csv = browser.get("/units/" + oldDistrict + "/reports.csv?to=2027-03&view=units").body();
        // the six months shown: with the old district until January, then no more
        assertThat(csv.lines().filter(l -> l.startsWith(cell + ",")).map(l -> l.split(",")[3]))
                .containsExactly("2026-10", "2026-11", "2026-12", "2026-Q4", "2027-01", "2027-Q1");
    }

    private static Map<String, String> rowsOf(long unit, Map<String, String> rows) {
        Map<String, String> out = new HashMap<>(rows);
        out.keySet().removeIf(k -> !k.startsWith(unit + " "));
        return out;
    }

    /** "unitId period" → "parent=… meetings=n invited/present" for the first quarter of 2027. */
    private Map<String, String> parentedRows(long root) {
        Http.Reply r = app.api.get("/api/v1/reports/units?unitId=" + root + "&from=2027-01-01&to=2027-03-31");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, String> rows = new HashMap<>();
        for (JsonNode u : r.body().get("rows")) {
            rows.put(u.get("unitId").asLong() + " " + u.get("period").asText(), "parent=" + u.get("parentId").asText() + " meetings="
                    + u.get("meetings").asInt() + " " + u.get("invited").asInt() + "/" + u.get("present").asInt());
        }
        return rows;
    }

    @Test
    void only_the_admin_or_a_supervisor_reaching_both_moves_a_unit_and_never_under_itself() {
        String secretary = token(cell, "secretary");
        String oldSupervisor = token(oldDistrict, "supervisor");
        String provinceSupervisor = token(province, "supervisor");

        assertThat(app.api.as(secretary).patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict)).status()).isEqualTo(403);
        assertThat(app.api.as(oldSupervisor).patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict)).status()).isEqualTo(403);
        assertThat(app.api.patch("/api/v1/units/" + oldDistrict, Map.of("parentId", cell)).status()).isEqualTo(409);
        assertThat(app.api.patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict, "parentFrom", "soon")).status()).isEqualTo(422);
        assertThat(app.api.get("/api/v1/units/" + cell).body().get("parentId").asLong()).isEqualTo(oldDistrict);

        assertThat(app.api.as(provinceSupervisor).patch("/api/v1/units/" + cell, Map.of("parentId", newDistrict)).status()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/units/" + cell + "/audit").body().get("events")).filteredOn(e -> e.get("action").asText().equals("unit.moved"))
                .extracting(e -> e.get("detail").asText()).containsExactly("parent " + oldDistrict + " → " + newDistrict + " from 2026-12-01");
    }

    @Test
    void a_merged_cell_brings_its_members_history_and_chats_and_disappears_from_the_tree() {
        long other = app.unitUnder(newDistrict, "Chi bộ thôn Tây");
        long chi = app.member(other, "Chi", null);
        assertThat(app.api.post("/api/v1/units/" + other + "/members", Map.of("personId", binh, "role", "deputy")).status()).isEqualTo(201);
        long chat = app.localChat(cell, "dong");
        long held = meeting(cell, "2026-12-01T19:30");
        app.clock.advance(Duration.ofHours(12));
        attend(held, "present", "absent");
        String cellToken = token(cell, "secretary");
        String oldSupervisor = token(oldDistrict, "supervisor");
        assertThat(app.api.as(oldSupervisor).post("/api/v1/units/" + cell + "/merge-into/" + other, Map.of()).status()).isEqualTo(403);

        Http.Reply merged = app.api.post("/api/v1/units/" + cell + "/merge-into/" + other, Map.of());

        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        Map<Long, String> members = new HashMap<>();
        for (JsonNode m : app.api.get("/api/v1/units/" + other + "/members").body()) members.put(m.get("id").asLong(), m.get("role").asText());
        assertThat(members).containsOnly(Map.entry(an, "member"), Map.entry(binh, "deputy"), Map.entry(chi, "member"));
        assertThat(app.api.get("/api/v1/meetings/" + held).body().get("unitId").asLong()).isEqualTo(other);
        assertThat(app.api.get("/api/v1/meetings/" + held + "/attendance").body()).extracting(r -> r.get("memberId").asLong() + " " + r.get("status").asText())
                .containsExactlyInAnyOrder(an + " present", binh + " absent");
        assertThat(app.api.get("/api/v1/units/" + other + "/chats").body()).extracting(c -> c.get("id").asLong()).containsExactly(chat);
        assertThat(app.api.get("/api/v1/units").body()).extracting(u -> u.get("id").asLong()).doesNotContain(cell);
        assertThat(app.api.as(cellToken).get("/api/v1/units/" + other).status()).isEqualTo(401);
        assertThat(unitRows(newDistrict)).containsEntry(other + " 2026-12", "meetings=1 2/1").containsEntry(newDistrict + " 2026-12", "meetings=1 2/1");
        assertThat(app.api.post("/api/v1/units/" + cell + "/merge-into/" + other, Map.of()).status()).isEqualTo(409);
    }

    private Map<String, String> unitRows(long root) {
        String from = "2027-01-01";
        String to = "2027-03-31";
        if (app.clock.instant().isBefore(java.time.Instant.parse("2027-01-01T00:00:00Z"))) {
            from = "2026-12-01";
            to = "2026-12-31";
        }
        Http.Reply r = app.api.get("/api/v1/reports/units?unitId=" + root + "&from=" + from + "&to=" + to);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, String> rows = new HashMap<>();
        for (JsonNode u : r.body().get("rows")) {
            rows.put(u.get("unitId").asLong() + " " + u.get("period").asText(),
                    "meetings=" + u.get("meetings").asInt() + " " + u.get("invited").asInt() + "/" + u.get("present").asInt());
        }
        return rows;
    }

    private String token(long unit, String role) {
        return app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", role)).body().get("token").asText();
    }

    private long meeting(long unit, String startsAt) {
        return app.meeting(unit, startsAt, List.of()).get("id").asLong();
    }

    private void attend(long meeting, String anStatus, String binhStatus) {
        Http.Reply r = app.api.put("/api/v1/meetings/" + meeting + "/attendance",
                List.of(Map.of("memberId", an, "status", anStatus), Map.of("memberId", binh, "status", binhStatus)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
