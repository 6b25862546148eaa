package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Free slots over real HTTP. Now is Tue 1 Dec 2026, 08:00 in Hà Nội. */
class SlotsTest {
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @Test
    void slots_never_overlap_a_meeting_of_the_unit_or_of_its_parent() {
        app = TestConvene.start();
        long district = app.unit("Đảng uỷ xã Tân Lập");
        long cell = app.api.post("/api/v1/units", Map.of("name", "Chi bộ thôn Đồng Tâm", "parentId", district)).body().get("id").asLong();
        List<Window> busy = new ArrayList<>();
        busy.add(meeting(district, "2026-12-02T19:00", 120));   // Wednesday evening, the whole window
        busy.add(meeting(cell, "2026-12-05T08:30", 90));        // Saturday morning
        busy.add(meeting(district, "2026-12-06T14:30", 60));    // Sunday afternoon

        Http.Reply r = app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-01&to=2026-12-07&durationMinutes=90");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<Window> slots = windows(r.body());
        assertThat(slots).isNotEmpty();
        for (Window slot : slots) for (Window meeting : busy) assertThat(slot.overlaps(meeting)).as(slot + " overlaps " + meeting).isFalse();
        assertThat(starts(r.body())).contains("2026-12-01T19:00+07:00 evening", "2026-12-03T20:00+07:00 evening",
                "2026-12-05T10:00+07:00 weekend", "2026-12-06T08:00+07:00 weekend", "2026-12-06T15:30+07:00 weekend")
                .noneMatch(s -> s.startsWith("2026-12-02"))
                .doesNotContain("2026-12-05T08:00+07:00 weekend", "2026-12-06T14:00+07:00 weekend");
    }

    @Test
    void a_sibling_units_meeting_does_not_block_a_slot() {
        app = TestConvene.start();
        long district = app.unit("Đảng uỷ xã");
        long cell = app.api.post("/api/v1/units", Map.of("name", "Chi bộ 1", "parentId", district)).body().get("id").asLong();
        long sibling = app.api.post("/api/v1/units", Map.of("name", "Chi bộ 2", "parentId", district)).body().get("id").asLong();
        meeting(sibling, "2026-12-03T19:00", 120);

        Http.Reply r = app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-03&to=2026-12-03&durationMinutes=120");

        assertThat(starts(r.body())).containsExactly("2026-12-03T19:00+07:00 evening", "2026-12-03T19:30+07:00 evening");
    }

    @Test
    void a_public_holiday_offers_daytime_slots_and_quiet_hours_cut_the_evening() {
        app = TestConvene.start(Map.of("CONVENE_REMINDERS_QUIET_HOURS", "21:00-06:30"));
        long cell = app.unit("Chi bộ 1");

        JsonNode newYear = app.api.get("/api/v1/units/" + cell + "/slots?from=2027-01-01&to=2027-01-01&durationMinutes=120").body();
        assertThat(starts(newYear)).containsExactly("2027-01-01T08:00+07:00 holiday", "2027-01-01T08:30+07:00 holiday",
                "2027-01-01T09:00+07:00 holiday", "2027-01-01T09:30+07:00 holiday", "2027-01-01T14:00+07:00 holiday",
                "2027-01-01T14:30+07:00 holiday", "2027-01-01T15:00+07:00 holiday");

        JsonNode evening = app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-03&to=2026-12-03&durationMinutes=90").body();
        assertThat(starts(evening)).as("a slot ending after 21:00 would run into quiet hours")
                .containsExactly("2026-12-03T19:00+07:00 evening", "2026-12-03T19:30+07:00 evening");
    }

    @Test
    void times_like_those_more_members_said_yes_to_come_first() {
        app = TestConvene.start();
        long cell = app.unit("Chi bộ 1");
        List<Long> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) members.add(app.member(cell, "Đảng viên " + i, null));
        long liked = meeting(cell, "2026-12-05T14:00", 90).id;     // Saturday afternoon: everyone comes
        long shunned = meeting(cell, "2026-12-03T19:00", 90).id;   // Thursday evening: one comes
        for (long m : members) app.api.post("/api/v1/meetings/" + liked + "/responses", Map.of("memberId", m, "rsvp", "yes"));
        app.api.post("/api/v1/meetings/" + shunned + "/responses", Map.of("memberId", members.get(0), "rsvp", "yes"));
        app.advance(Duration.ofDays(7)); // Tuesday 8 December: both are history

        JsonNode slots = app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-08&to=2026-12-14&durationMinutes=90").body();

        assertThat(slots.get(0).get("why").asText()).isEqualTo("weekend");
        assertThat(OffsetDateTime.parse(slots.get(0).get("start").asText()).toLocalTime().getHour()).isBetween(13, 15);
        assertThat(slots.get(0).get("score").asDouble()).isEqualTo(4.0);
        JsonNode lastScored = null;
        for (JsonNode s : slots) if (s.get("score").asDouble() > 0) lastScored = s;
        assertThat(lastScored.get("why").asText()).isEqualTo("evening");
        assertThat(lastScored.get("score").asDouble()).isEqualTo(1.0);
    }

    @Test
    void bad_parameters_get_422_naming_them() {
        app = TestConvene.start();
        long cell = app.unit("Chi bộ 1");
        assertField(app.api.get("/api/v1/units/" + cell + "/slots?durationMinutes=five"), "durationMinutes");
        assertField(app.api.get("/api/v1/units/" + cell + "/slots?from=tomorrow"), "from");
        assertField(app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-10&to=2026-12-09"), "to");
        assertField(app.api.get("/api/v1/units/" + cell + "/slots?from=2026-12-01&to=2027-06-01"), "to");
        assertThat(app.api.get("/api/v1/units/999/slots").status()).isEqualTo(404);
    }

    private static void assertField(Http.Reply r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.body().at("/error/details/0/field").asText()).isEqualTo(field);
    }

    record Window(OffsetDateTime start, OffsetDateTime end, long id) {
        boolean overlaps(Window other) {
            return start.isBefore(other.end) && other.start.isBefore(end);
        }
    }

    private Window meeting(long unit, String startsAt, int minutes) {
        Http.Reply r = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", startsAt, "durationMinutes", minutes));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return new Window(OffsetDateTime.parse(r.body().get("startsAt").asText()), OffsetDateTime.parse(r.body().get("endsAt").asText()),
                r.body().get("id").asLong());
    }

    private static List<Window> windows(JsonNode slots) {
        List<Window> windows = new ArrayList<>();
        for (JsonNode s : slots) windows.add(new Window(OffsetDateTime.parse(s.get("start").asText()), OffsetDateTime.parse(s.get("end").asText()), 0));
        return windows;
    }

    private static List<String> starts(JsonNode slots) {
        List<String> starts = new ArrayList<>();
        for (JsonNode s : slots) starts.add(OffsetDateTime.parse(s.get("start").asText()) + " " + s.get("why").asText());
        return starts;
    }
}
