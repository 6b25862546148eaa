package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.schedule.VietnameseLunarCalendar;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recurring series over real HTTP: made ahead, idempotent, edited one by one or from a date on, ended. Now is Tue 1 Dec 2026, 08:00. */
class SeriesFlowTest {
    TestConvene app;
    long unit;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ thôn Đồng Tâm");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_weekly_series_makes_eight_weeks_of_meetings_each_with_its_own_reminders() {
        Http.Reply r = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode upcoming = r.body().get("upcoming");
        assertThat(starts(upcoming)).containsExactly("2026-12-02T19:30+07:00", "2026-12-09T19:30+07:00", "2026-12-16T19:30+07:00",
                "2026-12-23T19:30+07:00", "2026-12-30T19:30+07:00", "2027-01-06T19:30+07:00", "2027-01-13T19:30+07:00",
                "2027-01-20T19:30+07:00");
        for (JsonNode m : upcoming) {
            assertThat(m.get("reminders")).hasSize(1);
            assertThat(OffsetDateTime.parse(m.at("/reminders/0/dueAt").asText()))
                    .isEqualTo(OffsetDateTime.parse(m.get("startsAt").asText()).minusDays(1));
            assertThat(m.get("agenda")).hasSize(2);
        }
        assertThat(r.body().get("startDate").asText()).isEqualTo("2026-12-01");
        assertThat(r.body().get("timezone").asText()).isEqualTo("Asia/Ho_Chi_Minh");
        assertThat(r.body().get("holidayPolicy").asText()).isEqualTo("allow");
    }

    @Test
    void making_meetings_again_adds_none_and_a_week_later_adds_one() {
        long series = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body().get("id").asLong();
        assertThat(app.convene.services().series().materialiseDue()).isZero();
        assertThat(app.convene.services().series().materialiseDue()).isZero();
        assertThat(meetingsOfUnit()).hasSize(8);

        app.advance(Duration.ofDays(7));
        assertThat(app.convene.services().series().materialiseDue()).isEqualTo(1);
        assertThat(starts(app.api.get("/api/v1/series/" + series).body().get("upcoming")))
                .startsWith("2026-12-09T19:30+07:00").endsWith("2027-01-27T19:30+07:00").hasSize(8);
        assertThat(meetingsOfUnit()).hasSize(9);
    }

    @Test
    void replies_stay_with_their_own_occurrence() {
        long member = app.member(unit, "Nguyễn Văn An", null);
        JsonNode upcoming = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body().get("upcoming");
        long first = upcoming.get(0).get("id").asLong();
        long second = upcoming.get(1).get("id").asLong();

        app.api.post("/api/v1/meetings/" + first + "/responses", Map.of("memberId", member, "rsvp", "yes"));

        assertThat(app.api.get("/api/v1/meetings/" + first + "/responses").body().at("/summary/yes").asInt()).isEqualTo(1);
        assertThat(app.api.get("/api/v1/meetings/" + second + "/responses").body().at("/summary/yes").asInt()).isZero();
    }

    @Test
    void next_day_moves_new_years_day_to_the_saturday() {
        Map<String, Object> body = weekly("FREQ=WEEKLY;BYDAY=FR");
        body.put("holidayPolicy", "next-day");
        JsonNode upcoming = app.api.post("/api/v1/series", body).body().get("upcoming");
        assertThat(starts(upcoming)).contains("2026-12-25T19:30+07:00", "2027-01-02T19:30+07:00", "2027-01-08T19:30+07:00")
                .doesNotContain("2027-01-01T19:30+07:00");
    }

    @Test
    void a_lunar_series_meets_on_the_fifteenth_of_each_lunar_month() {
        Map<String, Object> body = weekly(null);
        body.remove("rrule");
        body.put("lunarDay", 15);
        Http.Reply r = app.api.post("/api/v1/series", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.body().get("lunarDay").asInt()).isEqualTo(15);
        JsonNode upcoming = r.body().get("upcoming");
        assertThat(upcoming).hasSize(2);
        for (JsonNode m : upcoming) {
            LocalDate day = OffsetDateTime.parse(m.get("startsAt").asText()).toLocalDate();
            assertThat(VietnameseLunarCalendar.toLunar(day).day()).isEqualTo(15);
        }
    }

    @Test
    void an_occurrence_changed_by_hand_is_left_alone_when_the_series_changes_from_a_date() {
        JsonNode created = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body();
        long series = created.get("id").asLong();
        long edited = created.at("/upcoming/3/id").asLong(); // 23 December
        assertThat(app.api.patch("/api/v1/meetings/" + edited, Map.of("startsAt", "2026-12-23T17:00")).status()).isEqualTo(200);

        Http.Reply changed = app.api.patch("/api/v1/series/" + series, Map.of("from", "2026-12-10", "startTime", "18:00", "title", "Sinh hoạt chi bộ (giờ mới)"));

        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.body().get("segments")).hasSize(2);
        assertThat(starts(changed.body().get("upcoming"))).containsExactly("2026-12-02T19:30+07:00", "2026-12-09T19:30+07:00",
                "2026-12-16T18:00+07:00", "2026-12-23T17:00+07:00", "2026-12-30T18:00+07:00", "2027-01-06T18:00+07:00",
                "2027-01-13T18:00+07:00", "2027-01-20T18:00+07:00");
        JsonNode sixteenth = changed.body().at("/upcoming/2");
        assertThat(sixteenth.get("title").asText()).isEqualTo("Sinh hoạt chi bộ (giờ mới)");
        assertThat(sixteenth.get("version").asInt()).as("changed in place").isEqualTo(2);
        assertThat(sixteenth.at("/reminders")).extracting(x -> x.get("state").asText()).contains("pending");
        assertThat(changed.body().at("/upcoming/3/title").asText()).isEqualTo("Sinh hoạt chi bộ định kỳ");
        assertThat(changed.body().at("/upcoming/0/title").asText()).isEqualTo("Sinh hoạt chi bộ định kỳ");
    }

    @Test
    void a_new_rule_from_a_date_cancels_the_days_it_drops_and_makes_the_days_it_adds() {
        long series = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body().get("id").asLong();

        Http.Reply changed = app.api.patch("/api/v1/series/" + series, Map.of("from", "2026-12-20", "rrule", "FREQ=WEEKLY;BYDAY=TH"));

        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(starts(changed.body().get("upcoming"))).containsExactly("2026-12-02T19:30+07:00", "2026-12-09T19:30+07:00",
                "2026-12-16T19:30+07:00", "2026-12-24T19:30+07:00", "2026-12-31T19:30+07:00", "2027-01-07T19:30+07:00",
                "2027-01-14T19:30+07:00", "2027-01-21T19:30+07:00");
        List<String> cancelled = new ArrayList<>();
        for (JsonNode m : meetingsOfUnit()) if (m.get("status").asText().equals("cancelled")) cancelled.add(m.get("startsAt").asText());
        assertThat(cancelled).containsExactly("2026-12-23T19:30:00+07:00", "2026-12-30T19:30:00+07:00", "2027-01-06T19:30:00+07:00",
                "2027-01-13T19:30:00+07:00", "2027-01-20T19:30:00+07:00");
    }

    @Test
    void ending_a_series_cancels_its_later_occurrences_and_makes_no_more() {
        long series = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body().get("id").asLong();

        Http.Reply ended = app.api.post("/api/v1/series/" + series + "/end", Map.of("until", "2026-12-20"));

        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.body().get("until").asText()).isEqualTo("2026-12-20");
        assertThat(starts(ended.body().get("upcoming"))).containsExactly("2026-12-02T19:30+07:00", "2026-12-09T19:30+07:00",
                "2026-12-16T19:30+07:00");
        assertThat(meetingsOfUnit()).filteredOn(m -> m.get("status").asText().equals("cancelled")).hasSize(5);
        app.advance(Duration.ofDays(14));
        assertThat(app.convene.services().series().materialiseDue()).isZero();
    }

    @Test
    void preview_gives_the_instants_with_offsets_and_stores_nothing() {
        Http.Reply r = app.api.get("/api/v1/series/preview?rrule=FREQ%3DMONTHLY%3BBYMONTHDAY%3D30&start=2027-04-01T19:30"
                + "&zone=Asia/Ho_Chi_Minh&count=2&holidayPolicy=next-day&country=VN");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("occurrences")).extracting(JsonNode::asText)
                .containsExactly("2027-05-02T19:30:00+07:00", "2027-05-30T19:30:00+07:00");
        assertThat(meetingsOfUnit()).isEmpty();

        Http.Reply skip = app.api.get("/api/v1/series/preview?rrule=FREQ%3DMONTHLY%3BBYDAY%3D1SU&start=2027-01-01T19:30&count=3&holidayPolicy=skip");
        assertThat(skip.body().get("occurrences")).extracting(JsonNode::asText)
                .containsExactly("2027-01-03T19:30:00+07:00", "2027-03-07T19:30:00+07:00", "2027-04-04T19:30:00+07:00");
    }

    @Test
    void preview_of_29_february_gives_all_fourteen_asked_for_beyond_fifty_years() {
        Http.Reply r = app.api.get("/api/v1/series/preview?rrule=FREQ%3DYEARLY%3BBYMONTH%3D2%3BBYMONTHDAY%3D29&start=2027-01-01T19:30&count=14");

        assertThat(r.body().get("occurrences")).extracting(JsonNode::asText).hasSize(14)
                .startsWith("2028-02-29T19:30:00+07:00").endsWith("2080-02-29T19:30:00+07:00");
        assertThat(r.body().has("fewerBecause")).isFalse();
    }

    @Test
    void preview_with_fewer_occurrences_than_asked_for_says_why_in_the_body() {
        Http.Reply ends = app.api.get("/api/v1/series/preview?rrule=FREQ%3DWEEKLY%3BCOUNT%3D3&start=2027-01-06T19:30&count=10");
        Http.Reply never = app.api.get("/api/v1/series/preview?rrule=FREQ%3DYEARLY%3BBYMONTH%3D2%3BBYMONTHDAY%3D30&start=2027-01-01T19:30&count=5");

        assertThat(ends.body().get("occurrences")).hasSize(3);
        assertThat(ends.body().get("requested").asInt()).isEqualTo(10);
        assertThat(ends.body().get("fewerBecause").asText()).contains("the rule ends");
        assertThat(never.status()).isEqualTo(200);
        assertThat(never.body().get("occurrences")).isEmpty();
        assertThat(never.body().get("fewerBecause").asText()).contains("400 years");
    }

    @Test
    void bad_input_gets_422_naming_the_field_and_stores_nothing() {
        assertRefused(with(weekly("FREQ=WEEKLY;BYDAY=XX")), "rrule");
        assertRefused(with(weekly("FREQ=HOURLY")), "rrule");
        Map<String, Object> policy = weekly("FREQ=WEEKLY;BYDAY=WE");
        policy.put("holidayPolicy", "sometimes");
        assertRefused(policy, "holidayPolicy");
        Map<String, Object> time = weekly("FREQ=WEEKLY;BYDAY=WE");
        time.put("startTime", "7.30pm");
        assertRefused(time, "startTime");
        Map<String, Object> date = weekly("FREQ=WEEKLY;BYDAY=WE");
        date.put("startDate", "01/12/2026");
        assertRefused(date, "startDate");
        Map<String, Object> title = weekly("FREQ=WEEKLY;BYDAY=WE");
        title.remove("title");
        assertRefused(title, "title");
        Map<String, Object> reminders = weekly("FREQ=WEEKLY;BYDAY=WE");
        reminders.put("reminders", List.of("three days"));
        assertRefused(reminders, "reminders[0].offset");
        assertThat(app.api.get("/api/v1/series/preview?rrule=FREQ%3DWEEKLY&start=soon").body().at("/error/details/0/field").asText())
                .isEqualTo("start");
        assertThat(meetingsOfUnit()).isEmpty();
        assertThat(app.api.get("/api/v1/series/1").status()).as("no series was stored").isEqualTo(404);
    }

    @Test
    void a_series_is_out_of_reach_of_another_units_secretary() {
        long other = app.unit("Chi bộ khác");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        long series = app.api.post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).body().get("id").asLong();
        assertThat(app.api.as(token).get("/api/v1/series/" + series).status()).isEqualTo(403);
        assertThat(app.api.as(token).post("/api/v1/series", weekly("FREQ=WEEKLY;BYDAY=WE")).status()).isEqualTo(403);
        assertThat(app.anonymous.get("/api/v1/series/" + series).status()).isEqualTo(401);
    }

    @Test
    void holidays_of_vietnam_2027_list_the_lunar_ones_with_their_lunar_dates() {
        Http.Reply r = app.api.get("/api/v1/holidays?country=VN&year=2027");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(11);
        JsonNode hung = null;
        for (JsonNode h : r.body()) if (h.get("name").asText().equals("Giỗ Tổ Hùng Vương")) hung = h;
        assertThat(hung).isNotNull();
        assertThat(hung.get("date").asText()).isEqualTo("2027-04-16");
        assertThat(hung.at("/lunar/text").asText()).isEqualTo("10/3");
        assertThat(r.body().get(0).has("lunar")).as("solar holidays carry no lunar date").isFalse();
        assertThat(r.body().get(2).get("nameEn").asText()).isEqualTo("Lunar New Year (day 1)");
        assertThat(app.api.get("/api/v1/holidays?country=FR&year=2027").status()).isEqualTo(422);
        assertThat(app.anonymous.get("/api/v1/holidays?country=VN&year=2027").status()).isEqualTo(401);
    }

    private void assertRefused(Map<String, Object> body, String field) {
        Http.Reply r = app.api.post("/api/v1/series", body);
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.errorCode()).isEqualTo("invalid");
        assertThat(r.body().at("/error/details")).extracting(d -> d.get("field").asText()).contains(field);
    }

    private static Map<String, Object> with(Map<String, Object> body) {
        return body;
    }

    private Map<String, Object> weekly(String rrule) {
        Map<String, Object> body = new HashMap<>();
        body.put("unitId", unit);
        body.put("title", "Sinh hoạt chi bộ định kỳ");
        if (rrule != null) body.put("rrule", rrule);
        body.put("startDate", "2026-12-01");
        body.put("startTime", "19:30");
        body.put("durationMinutes", 90);
        body.put("location", "Nhà văn hoá thôn");
        body.put("reminders", List.of("P1D"));
        body.put("agenda", List.of(Map.of("title", "Báo cáo tình hình"), Map.of("title", "Phân công nhiệm vụ")));
        return body;
    }

    private JsonNode meetingsOfUnit() {
        return app.api.get("/api/v1/meetings?unitId=" + unit).body();
    }

    /** Start times as offset date-times in their shortest form, to compare with the occurrences expected. */
    private static List<String> starts(JsonNode meetings) {
        List<String> starts = new ArrayList<>();
        for (JsonNode m : meetings) starts.add(OffsetDateTime.parse(m.get("startsAt").asText()).toString());
        return starts;
    }
}
