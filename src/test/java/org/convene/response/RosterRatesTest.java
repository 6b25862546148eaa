package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A province with a district of two cells and a cell of its own, over the first quarter of 2027. In cell A
 * a member joins on 10 February, one leaves on 20 February and one is exempt from 1 February; in cell B a
 * member joins on 1 March. Each meeting counts the roster of its own day, and every figure below is
 * worked out by hand from the table in each test.
 */
class RosterRatesTest {
    static TestConvene app;
    static long province;
    static long district;
    static long cellA;
    static long cellB;
    static long cellC;
    static long a1, a2, a3, a4, a5, b1, b2, b3, c1;
    static long aJan, aFeb, aMar, bJan, bMar, cFeb;

    @BeforeAll
    static void start() {
        app = TestConvene.start();
        province = app.unit("Tỉnh uỷ");
        district = app.unitUnder(province, "Huyện uỷ");
        cellA = app.unitUnder(district, "Chi bộ A");
        cellB = app.unitUnder(district, "Chi bộ B");
        cellC = app.unitUnder(province, "Chi bộ C");
        a1 = app.member(cellA, "An", null);
        a2 = app.member(cellA, "Bình", null);
        a3 = app.member(cellA, "Chi", null);
        a4 = app.member(cellA, "Dũng", null);
        a5 = member(cellA, Map.of("name", "Em", "joinedOn", "2027-02-10", "status", "probationary"));
        b1 = app.member(cellB, "Giang", null);
        b2 = app.member(cellB, "Hà", null);
        b3 = member(cellB, Map.of("name", "Khánh", "joinedOn", "2027-03-01"));
        c1 = app.member(cellC, "Lan", null);
        assertThat(patch(cellA, a2, Map.of("leftOn", "2027-02-20", "leftReason", "moved")).status()).isEqualTo(200);
        assertThat(patch(cellA, a3, Map.of("status", "exempt", "statusFrom", "2027-02-01")).status()).isEqualTo(200);

        aJan = meeting(cellA, "2027-01-06T19:30");
        aFeb = meeting(cellA, "2027-02-15T19:30");
        aMar = meeting(cellA, "2027-03-10T19:30");
        bJan = meeting(cellB, "2027-01-13T19:30");
        bMar = meeting(cellB, "2027-03-17T19:30");
        cFeb = meeting(cellC, "2027-02-24T19:30");
        app.clock.advance(Duration.ofDays(121)); // 1 April 2027

        attend(aJan, Map.of(a1, "present", a2, "present", a3, "absent", a4, "excused"));
        attend(aFeb, Map.of(a1, "present", a2, "absent", a4, "present", a5, "present"));
        attend(aMar, Map.of(a1, "present", a4, "present", a5, "excused"));
        attend(bJan, Map.of(b1, "present", b2, "present"));
        attend(bMar, Map.of(b1, "present", b2, "absent", b3, "present"));
        attend(cFeb, Map.of(c1, "present"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void each_meeting_invites_the_roster_of_its_day_and_counts_the_exempt_apart() {
        JsonNode report = app.api.get("/api/v1/reports/attendance?unitId=" + province + "&from=2027-01-01&to=2027-03-31").body();
        Map<Long, String> rows = new HashMap<>();
        for (JsonNode m : report.get("meetings")) rows.put(m.get("meetingId").asLong(), figures(m));
        // A Jan: An, Bình, Chi, Dũng (Em not yet joined); A Feb: An, Bình, Dũng, Em, Chi exempt;
        // A Mar: An, Dũng, Em, Chi exempt (Bình left); B Mar: Khánh joined on the 1st
        assertThat(rows).containsEntry(aJan, "4/2/1/1 exempt=0 rate=0.5")
                .containsEntry(aFeb, "4/3/0/1 exempt=1 rate=0.75")
                .containsEntry(aMar, "3/2/1/0 exempt=1 rate=0.6667")
                .containsEntry(bJan, "2/2/0/0 exempt=0 rate=1.0")
                .containsEntry(bMar, "3/2/0/1 exempt=0 rate=0.6667")
                .containsEntry(cFeb, "1/1/0/0 exempt=0 rate=1.0");
    }

    @Test
    void monthly_and_quarterly_rates_are_exact_at_every_level() {
        Map<String, String> rows = unitRows();
        assertThat(rows).containsEntry(cellA + " 2027-01", "4/2/1/1 exempt=0 rate=0.5")
                .containsEntry(cellA + " 2027-02", "4/3/0/1 exempt=1 rate=0.75")
                .containsEntry(cellA + " 2027-03", "3/2/1/0 exempt=1 rate=0.6667")
                .containsEntry(cellA + " 2027-Q1", "11/7/2/2 exempt=2 rate=0.6364");
        assertThat(rows).containsEntry(cellB + " 2027-01", "2/2/0/0 exempt=0 rate=1.0")
                .containsEntry(cellB + " 2027-02", "0/0/0/0 exempt=0 rate=null")
                .containsEntry(cellB + " 2027-03", "3/2/0/1 exempt=0 rate=0.6667")
                .containsEntry(cellB + " 2027-Q1", "5/4/0/1 exempt=0 rate=0.8");
        assertThat(rows).containsEntry(district + " 2027-01", "6/4/1/1 exempt=0 rate=0.6667")
                .containsEntry(district + " 2027-02", "4/3/0/1 exempt=1 rate=0.75")
                .containsEntry(district + " 2027-03", "6/4/1/1 exempt=1 rate=0.6667")
                .containsEntry(district + " 2027-Q1", "16/11/2/3 exempt=2 rate=0.6875");
        assertThat(rows).containsEntry(province + " 2027-01", "6/4/1/1 exempt=0 rate=0.6667")
                .containsEntry(province + " 2027-02", "5/4/0/1 exempt=1 rate=0.8")
                .containsEntry(province + " 2027-03", "6/4/1/1 exempt=1 rate=0.6667")
                .containsEntry(province + " 2027-Q1", "17/12/2/3 exempt=2 rate=0.7059");
    }

    @Test
    void a_members_year_counts_only_the_meetings_of_their_days_on_the_roster() {
        JsonNode year = app.api.get("/api/v1/reports/members?unitId=" + cellA + "&year=2027").body().get("rows");
        Map<Long, String> rows = new HashMap<>();
        for (JsonNode r : year) rows.put(r.get("memberId").asLong(), r.get("invited").asInt() + "/" + r.get("present").asInt());
        assertThat(rows).containsEntry(a1, "3/3").containsEntry(a2, "2/1").containsEntry(a3, "1/0")
                .containsEntry(a4, "3/2").containsEntry(a5, "2/1");
    }

    @Test
    void the_invited_list_is_frozen_once_the_meeting_began_so_a_join_dated_back_changes_nothing() {
        assertThat(patch(cellA, a5, Map.of("joinedOn", "2027-01-01")).status()).isEqualTo(200);
        try {
            assertThat(unitRows()).containsEntry(cellA + " 2027-01", "4/2/1/1 exempt=0 rate=0.5");
            JsonNode attendance = app.api.get("/api/v1/meetings/" + aJan + "/attendance").body();
            assertThat(attendance).extracting(r -> r.get("memberId").asLong()).containsExactlyInAnyOrder(a1, a2, a3, a4);
        } finally {
            patch(cellA, a5, Map.of("joinedOn", "2027-02-10"));
        }
    }

    @Test
    void the_roster_of_a_day_lists_who_was_a_member_then_with_that_days_status() {
        JsonNode jan = app.api.get("/api/v1/units/" + cellA + "/members?on=2027-01-31").body();
        assertThat(names(jan)).containsExactly("An official", "Bình official", "Chi official", "Dũng official");
        JsonNode feb = app.api.get("/api/v1/units/" + cellA + "/members?on=2027-02-19").body();
        assertThat(names(feb)).containsExactly("An official", "Bình official", "Chi exempt", "Dũng official", "Em probationary");
        JsonNode mar = app.api.get("/api/v1/units/" + cellA + "/members?on=2027-02-20").body();
        assertThat(names(mar)).containsExactly("An official", "Chi exempt", "Dũng official", "Em probationary");
        JsonNode all = app.api.get("/api/v1/units/" + cellA + "/members").body();
        assertThat(all).hasSize(5);
        JsonNode binh = null;
        for (JsonNode m : all) if (m.get("id").asLong() == a2) binh = m;
        assertThat(binh.get("leftOn").asText()).isEqualTo("2027-02-20");
        assertThat(binh.get("leftReason").asText()).isEqualTo("moved");
        assertThat(binh.get("personId").asLong()).isEqualTo(a2);
        assertThat(app.api.get("/api/v1/units/" + cellA + "/members?on=tomorrow").status()).isEqualTo(422);
    }

    @Test
    void attendance_of_a_member_not_on_the_days_roster_or_exempt_that_day_is_refused() {
        Http.Reply early = app.api.put("/api/v1/meetings/" + aJan + "/attendance", List.of(Map.of("memberId", a5, "status", "present")));
        assertThat(early.status()).isEqualTo(422);
        assertThat(early.text()).contains("not on the meeting's roster");
        Http.Reply exempt = app.api.put("/api/v1/meetings/" + aMar + "/attendance", List.of(Map.of("memberId", a3, "status", "present")));
        assertThat(exempt.status()).isEqualTo(422);
        assertThat(exempt.text()).contains("exempt");
    }

    private static List<String> names(JsonNode members) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : members) out.add(m.get("name").asText() + " " + m.get("status").asText());
        return out;
    }

    private static Map<String, String> unitRows() {
        Http.Reply r = app.api.get("/api/v1/reports/units?unitId=" + province + "&from=2027-01-01&to=2027-03-31");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        Map<String, String> rows = new HashMap<>();
        for (JsonNode u : r.body().get("rows")) rows.put(u.get("unitId").asLong() + " " + u.get("period").asText(), figures(u));
        return rows;
    }

    private static String figures(JsonNode row) {
        return row.get("invited").asInt() + "/" + row.get("present").asInt() + "/" + row.get("excused").asInt() + "/" + row.get("absent").asInt()
                + " exempt=" + row.get("exempt").asInt() + " rate=" + (row.get("rate").isNull() ? "null" : row.get("rate").asText());
    }

    static long member(long unit, Map<String, Object> body) {
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    static Http.Reply patch(long unit, long member, Map<String, Object> body) {
        Http.Reply r = app.api.patch("/api/v1/units/" + unit + "/members/" + member, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    static long meeting(long unit, String startsAt) {
        return app.meeting(unit, startsAt, List.of()).get("id").asLong();
    }

    static void attend(long meeting, Map<Long, String> statuses) {
        List<Map<String, Object>> body = new ArrayList<>();
        statuses.forEach((member, status) -> body.add(Map.of("memberId", member, "status", status)));
        Http.Reply r = app.api.put("/api/v1/meetings/" + meeting + "/attendance", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
