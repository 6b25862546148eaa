package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A district's secretary sets up a pilot meeting in one of its cells from the meeting editor, with the
 * district's other cells invited as observers: only units the viewer looks after are offered, a unit
 * not offered is refused, and a cell's own secretary keeps the observers when saving.
 */
class ObserverUnitsPageTest {
    TestConvene app;
    long vanYen;
    long dongTam;
    long ha;
    long lucYenCell;
    WebClient district;
    String csrf;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        long province = app.unit("Tỉnh uỷ Yên Bái");
        vanYen = app.unitUnder(province, "Huyện uỷ Văn Yên");
        long lucYen = app.unitUnder(province, "Huyện uỷ Lục Yên");
        dongTam = app.unitUnder(vanYen, "Chi bộ thôn Đồng Tâm");
        ha = app.unitUnder(vanYen, "Chi bộ thôn Hạ");
        lucYenCell = app.unitUnder(lucYen, "Chi bộ thôn Khánh Hoà");
        long supervisor = app.memberAs(vanYen, "Trần Văn Cấp", "supervisor");
        district = signedIn(vanYen, supervisor);
        csrf = district.get("/").csrf();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    WebClient signedIn(long unit, long member) {
        WebClient web = new WebClient("http://localhost:" + app.convene.port());
        web.signIn(app.api.post("/api/v1/units/" + unit + "/members/" + member + "/login-link", "").body().get("url").asText());
        return web;
    }

    WebClient.Page create(WebClient web, String token, String... pairs) {
        Map<String, String> f = new HashMap<>(Map.of("csrf", token, "title", "Họp điểm chi bộ", "kind", "pilot", "date", "2026-12-10",
                "time", "19:30", "duration", "120", "location", "Nhà văn hoá thôn", "agenda_title", "Nghị quyết tháng", "reminders", "short",
                "observers_shown", "1"));
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return web.post("/units/" + dongTam + "/meetings", f);
    }

    List<Long> observers(long meeting) {
        JsonNode ids = app.api.get("/api/v1/meetings/" + meeting).body().get("observerUnitIds");
        return java.util.stream.StreamSupport.stream(ids.spliterator(), false).map(JsonNode::asLong).toList();
    }

    int meetings() {
        return app.api.get("/api/v1/meetings?unitId=" + dongTam).body().size();
    }

    @Test
    void the_editor_offers_the_units_the_district_looks_after_and_the_pilot_meeting_invites_the_ticked_one() {
        String page = district.get("/units/" + dongTam + "/meetings/new").body();
        assertThat(page).contains("data-testid=\"observers\"", "Đơn vị dự (quan sát)", "data-testid=\"observer-" + ha + "\"",
                        "data-testid=\"observer-" + vanYen + "\"")
                .doesNotContain("data-testid=\"observer-" + dongTam + "\"")
                .as("a cell of another district").doesNotContain("data-testid=\"observer-" + lucYenCell + "\"");

        WebClient.Page made = create(district, csrf, "observer", String.valueOf(ha));

        assertThat(made.status()).as(made.body()).isEqualTo(302);
        long meeting = Long.parseLong(made.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
        assertThat(observers(meeting)).containsExactly(ha);
        assertThat(district.get(made.location()).body()).contains("value=\"" + ha + "\" checked");
    }

    @Test
    void a_unit_the_page_did_not_offer_is_refused_and_nothing_is_stored() {
        WebClient.Page refused = create(district, csrf, "observer", String.valueOf(lucYenCell));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("Chỉ mời được các đơn vị có trong danh sách này.");
        assertThat(meetings()).isZero();
    }

    @Test
    void a_recurring_meeting_cannot_invite_observers_and_says_why() {
        WebClient.Page refused = create(district, csrf, "observer", String.valueOf(ha), "repeat", "weekly", "holidayPolicy", "allow");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("Lịch họp định kỳ không mời đơn vị dự được.");
        assertThat(meetings()).isZero();
    }

    @Test
    void the_cells_own_secretary_saves_the_meeting_and_the_observers_stay() {
        WebClient.Page made = create(district, csrf, "observer", String.valueOf(ha));
        long meeting = Long.parseLong(made.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
        WebClient cell = signedIn(dongTam, app.memberAs(dongTam, "Nguyễn Văn Hùng", "secretary"));
        WebClient.Page editor = cell.get("/meetings/" + meeting + "/edit");
        assertThat(editor.body()).as("the observer already invited is shown, ticked").contains("value=\"" + ha + "\" checked")
                .doesNotContain("data-testid=\"observer-" + vanYen + "\"");

        Map<String, String> f = new HashMap<>(Map.of("csrf", editor.csrf(), "title", "Họp điểm chi bộ (sửa)", "kind", "pilot", "date", "2026-12-10",
                "time", "19:30", "duration", "150", "location", "Nhà văn hoá thôn", "agenda_title", "Nghị quyết tháng", "reminders", "keep"));
        f.put("observers_shown", "1");
        f.put("observer", String.valueOf(ha));
        assertThat(cell.post("/meetings/" + meeting + "/edit", f).status()).isEqualTo(302);

        assertThat(observers(meeting)).containsExactly(ha);
        assertThat(app.api.get("/api/v1/meetings/" + meeting).body().get("durationMinutes").asInt()).isEqualTo(150);
    }
}
