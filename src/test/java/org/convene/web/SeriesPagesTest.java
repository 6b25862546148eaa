package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.schedule.SeriesService;
import org.convene.schedule.VietnameseLunarCalendar;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A meeting that repeats, made from the editor's form over HTTP: the rule made from the chosen date, the
 * holiday policy and the end date reach the series service, its meetings are made, and the meeting's pages
 * say which series it belongs to. A refused form stores nothing. It is 08:00 on Tuesday 1 December 2026.
 */
class SeriesPagesTest {
    TestConvene app;
    long unit;
    long hung;
    WebClient web;
    String csrf;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Nguyễn Văn Hùng", "role", "secretary"));
        hung = r.body().get("id").asLong();
        app.localChat(unit, "lac-thanh");
        web = new WebClient("http://localhost:" + app.convene.port());
        web.signIn(app.api.post("/api/v1/units/" + unit + "/members/" + hung + "/login-link", "").body().get("url").asText());
        csrf = web.get("/").csrf();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** The new-meeting form as a secretary fills it, with the given fields over the usual ones. */
    WebClient.Page submit(String... pairs) {
        Map<String, String> f = new HashMap<>(Map.of("csrf", csrf, "title", "Sinh hoạt chi bộ định kỳ", "kind", "regular", "time", "19:30",
                "duration", "120", "location", "Nhà văn hoá", "agenda_title", "Báo cáo tình hình tháng", "reminders", "short"));
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return web.post("/units/" + unit + "/meetings", f);
    }

    List<JsonNode> meetings() {
        List<JsonNode> out = new ArrayList<>();
        app.api.get("/api/v1/meetings?unitId=" + unit).body().forEach(out::add);
        return out;
    }

    List<String> starts() {
        return meetings().stream().map(m -> m.get("startsAt").asText()).sorted().toList();
    }

    long firstMeeting(WebClient.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return Long.parseLong(page.location().replaceAll("^/meetings/(\\d+)/edit.*$", "$1"));
    }

    SeriesService.Membership series(long meetingId) {
        return app.convene.services().series().ofMeeting(meetingId).orElseThrow();
    }

    int storedSeries() {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM series").mapTo(Integer.class).one());
    }

    @Test
    void every_first_sunday_from_the_form_makes_its_meetings_and_the_first_one_says_so() {
        WebClient.Page page = submit("date", "2026-12-06", "repeat", "monthly", "holidayPolicy", "allow");

        long first = firstMeeting(page);
        assertThat(page.location()).isEqualTo("/meetings/" + first + "/edit?saved=series&made=2");
        // made eight weeks ahead: 6 December and 3 January are the first Sundays until 26 January
        assertThat(starts()).containsExactly("2026-12-06T19:30:00+07:00", "2027-01-03T19:30:00+07:00");
        assertThat(series(first).definition().rrule()).isEqualTo("FREQ=MONTHLY;BYDAY=1SU");
        JsonNode meeting = app.api.get("/api/v1/meetings/" + first).body();
        assertThat(meeting.get("title").asText()).isEqualTo("Sinh hoạt chi bộ định kỳ");
        assertThat(meeting.get("agenda")).extracting(a -> a.get("title").asText()).containsExactly("Báo cáo tình hình tháng");
        assertThat(meeting.get("reminders")).extracting(r -> r.get("offset").asText()).containsExactly("P1D", "PT2H");

        String editor = web.get(page.location()).body();
        assertThat(editor).contains("data-testid=\"series-saved\">Đã lưu lịch họp định kỳ và tạo sẵn 2 buổi họp đầu tiên",
                "Họp định kỳ: Hằng tháng vào Chủ Nhật đầu tiên lúc 19:30.", "Thay đổi ở đây áp dụng cho buổi họp này");
        assertThat(editor).as("an existing meeting is not asked to repeat").doesNotContain("data-testid=\"repeat\"");
        assertThat(web.get("/meetings/" + first).body()).contains("data-testid=\"series-line\"", "Hằng tháng vào Chủ Nhật đầu tiên lúc 19:30");
        assertThat(web.get("/meetings/" + first + "/attendance").body()).contains("Hằng tháng vào Chủ Nhật đầu tiên lúc 19:30");
        web.get("/lang?to=en&back=/");
        assertThat(web.get("/meetings/" + first).body()).contains("A recurring meeting: Every month on the first Sunday at 19:30.");
    }

    @Test
    void a_secretary_ends_the_series_after_one_of_its_meetings_and_the_later_ones_are_cancelled() {
        long first = firstMeeting(submit("date", "2026-12-04", "repeat", "weekly", "holidayPolicy", "allow"));
        List<JsonNode> made = meetings().stream().sorted(java.util.Comparator.comparing(m -> m.get("startsAt").asText())).toList();
        assertThat(made).hasSizeGreaterThanOrEqualTo(4);
        long second = made.get(1).get("id").asLong();
        String editor = web.get("/meetings/" + second + "/edit").body();
        assertThat(editor).contains("Kết thúc lịch họp định kỳ sau buổi này", "data-testid=\"series-end\"");

        assertThat(web.post("/meetings/" + second + "/series/end", Map.of()).status()).as("without the form's CSRF token").isEqualTo(403);
        assertThat(meetings()).allSatisfy(m -> assertThat(m.get("status").asText()).isEqualTo("scheduled"));

        WebClient.Page ended = web.post("/meetings/" + second + "/series/end", Map.of("csrf", csrf));
        assertThat(ended.status()).isEqualTo(302);
        int later = made.size() - 2;
        assertThat(ended.location()).isEqualTo("/meetings/" + second + "/edit?saved=seriesEnded&cancelled=" + later);
        assertThat(web.get(ended.location()).body()).contains("data-testid=\"series-ended\"", "đã huỷ " + later + " buổi họp sau đó")
                .doesNotContain("data-testid=\"series-end\"");
        Map<Long, String> status = new HashMap<>();
        meetings().forEach(m -> status.put(m.get("id").asLong(), m.get("status").asText()));
        assertThat(status.get(first)).isEqualTo("scheduled");
        assertThat(status.get(second)).isEqualTo("scheduled");
        for (JsonNode m : made.subList(2, made.size())) assertThat(status.get(m.get("id").asLong())).isEqualTo("cancelled");
        assertThat(series(first).series().until()).isEqualTo(LocalDate.of(2026, 12, 11));
        assertThat(web.get("/meetings/" + first + "/edit").body()).as("the first meeting's series now ends after the second")
                .contains("đến 11/12/2026");
    }

    /** The editor's form for an existing meeting, as it shows, with the given fields over it. */
    WebClient.Page edit(long meeting, String... pairs) {
        JsonNode m = app.api.get("/api/v1/meetings/" + meeting).body();
        Map<String, String> f = new HashMap<>(Map.of("csrf", csrf, "title", m.get("title").asText(), "kind", m.get("kind").asText(),
                "date", m.get("startsAt").asText().substring(0, 10), "time", m.get("startsAt").asText().substring(11, 16),
                "duration", m.get("durationMinutes").asText(), "location", m.get("location").asText(), "agenda_title", "Báo cáo tình hình tháng",
                "reminders", "keep"));
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return web.post("/meetings/" + meeting + "/edit", f);
    }

    @Test
    void a_change_saved_for_this_and_the_following_meetings_reaches_the_series_from_that_day() {
        firstMeeting(submit("date", "2026-12-04", "repeat", "weekly", "holidayPolicy", "allow"));
        List<JsonNode> made = meetings().stream().sorted(java.util.Comparator.comparing(m -> m.get("startsAt").asText())).toList();
        long first = made.get(0).get("id").asLong();
        long second = made.get(1).get("id").asLong();
        assertThat(web.get("/meetings/" + second + "/edit").body()).contains("data-testid=\"series-scope\"", "buổi này và các buổi sau");

        WebClient.Page saved = edit(second, "scope", "following", "time", "20:00", "title", "Sinh hoạt chi bộ (giờ mới)");

        assertThat(saved.status()).as(saved.body()).isEqualTo(302);
        assertThat(saved.location()).isEqualTo("/meetings/" + second + "/edit?saved=seriesChanged");
        assertThat(web.get(saved.location()).body()).contains("Đã lưu cho buổi này và các buổi sau của lịch định kỳ.");
        JsonNode firstNow = app.api.get("/api/v1/meetings/" + first).body();
        assertThat(firstNow.get("startsAt").asText()).isEqualTo("2026-12-04T19:30:00+07:00");
        assertThat(firstNow.get("title").asText()).isEqualTo("Sinh hoạt chi bộ định kỳ");
        List<JsonNode> after = meetings().stream().filter(m -> m.get("status").asText().equals("scheduled"))
                .filter(m -> m.get("startsAt").asText().compareTo("2026-12-11") >= 0).toList();
        assertThat(after).hasSizeGreaterThanOrEqualTo(3).allSatisfy(m -> {
            assertThat(m.get("startsAt").asText()).endsWith("T20:00:00+07:00");
            assertThat(m.get("title").asText()).isEqualTo("Sinh hoạt chi bộ (giờ mới)");
        });
        assertThat(app.api.get("/api/v1/meetings/" + second).body().get("startsAt").asText()).isEqualTo("2026-12-11T20:00:00+07:00");
    }

    @Test
    void moving_the_following_meetings_to_another_day_is_refused_with_the_reason_and_changes_nothing() {
        firstMeeting(submit("date", "2026-12-04", "repeat", "weekly", "holidayPolicy", "allow"));
        List<String> before = starts();
        long second = meetings().stream().sorted(java.util.Comparator.comparing(m -> m.get("startsAt").asText())).toList().get(1).get("id").asLong();

        WebClient.Page refused = edit(second, "scope", "following", "date", "2026-12-12");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("Muốn dời các buổi sau sang ngày khác thì phải đổi quy tắc lặp",
                "value=\"following\" checked");
        assertThat(starts()).isEqualTo(before);
    }

    @Test
    void every_friday_moves_past_new_years_day_and_stops_at_the_last_day() {
        WebClient.Page page = submit("date", "2026-12-25", "time", "19:00", "repeat", "weekly", "holidayPolicy", "next-day", "until", "2027-01-15");

        long first = firstMeeting(page);
        // 1 January 2027 is a public holiday (a Friday): that meeting is held on Saturday the 2nd
        assertThat(starts()).containsExactly("2026-12-25T19:00:00+07:00", "2027-01-02T19:00:00+07:00", "2027-01-08T19:00:00+07:00",
                "2027-01-15T19:00:00+07:00");
        assertThat(series(first).definition().rrule()).isEqualTo("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270115");
        assertThat(series(first).definition().holidayPolicy()).isEqualTo("next-day");
        assertThat(web.get("/meetings/" + first).body())
                .contains("Hằng tuần vào Thứ Sáu lúc 19:00, trùng ngày lễ thì dời sang ngày hôm sau, đến 15/01/2027.");
    }

    @Test
    void every_month_on_the_same_lunar_day() {
        // the first full moon (rằm, day 15) after today
        LocalDate day = LocalDate.of(2026, 12, 2);
        while (VietnameseLunarCalendar.toLunar(day).day() != 15) day = day.plusDays(1);

        long first = firstMeeting(submit("date", day.toString(), "repeat", "lunar"));

        assertThat(series(first).definition().lunarDay()).isEqualTo(15);
        assertThat(starts()).hasSizeGreaterThanOrEqualTo(2).first().asString().startsWith(day.toString());
        for (JsonNode m : meetings()) {
            assertThat(VietnameseLunarCalendar.toLunar(LocalDate.parse(m.get("startsAt").asText().substring(0, 10))).day()).isEqualTo(15);
        }
        assertThat(web.get("/meetings/" + first).body()).contains("Hằng tháng vào ngày 15 âm lịch lúc 19:30.");
    }

    @Test
    void a_rule_of_ones_own_is_used_as_written_with_the_last_day_as_its_until() {
        long first = firstMeeting(submit("date", "2026-12-01", "time", "20:00", "repeat", "custom", "rrule", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                "until", "2027-01-12"));

        assertThat(starts()).containsExactly("2026-12-01T20:00:00+07:00", "2026-12-15T20:00:00+07:00", "2026-12-29T20:00:00+07:00",
                "2027-01-12T20:00:00+07:00");
        assertThat(series(first).definition().rrule()).isEqualTo("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270112");
        assertThat(web.get("/meetings/" + first).body()).contains("2 tuần một lần vào Thứ Ba lúc 20:00, đến 12/01/2027.");
    }

    @Test
    void a_bad_rule_is_shown_beside_its_field_with_every_other_error_and_nothing_is_stored() {
        WebClient.Page page = submit("title", " ", "date", "2026-12-06", "repeat", "custom", "rrule", "FREQ=SOMETIMES;BYDAY=1SU",
                "holidayPolicy", "skip");

        assertThat(page.status()).isEqualTo(422);
        assertThat(page.body()).contains("data-testid=\"rrule-error\">Quy tắc lặp chưa đúng: rrule is not an RFC 5545 recurrence rule", "Hãy nhập tên cuộc họp.",
                "value=\"FREQ&#61;SOMETIMES;BYDAY&#61;1SU\"", "value=\"custom\" checked", "<option value=\"skip\" selected>", "value=\"2026-12-06\"");
        assertThat(page.body()).containsPattern("id=\"rrule\"[^>]*aria-invalid=\"true\"");
        assertThat(meetings()).isEmpty();
        assertThat(storedSeries()).isZero();

        WebClient.Page hourly = submit("date", "2026-12-06", "repeat", "custom", "rrule", "FREQ=WEEKLY;BYHOUR=19");
        assertThat(hourly.status()).isEqualTo(422);
        assertThat(hourly.body()).contains("Quy tắc lặp chưa đúng: rrule may not name hours", "BYHOUR");
        WebClient.Page empty = submit("date", "2026-12-06", "repeat", "custom", "rrule", "");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(meetings()).isEmpty();
        assertThat(storedSeries()).isZero();
    }

    @Test
    void the_page_refuses_a_past_start_a_last_day_before_it_and_two_ends_at_once() {
        WebClient.Page past = submit("date", "2026-11-29", "repeat", "weekly");
        WebClient.Page early = submit("date", "2026-12-06", "repeat", "weekly", "until", "2026-12-05");
        WebClient.Page twice = submit("date", "2026-12-06", "repeat", "custom", "rrule", "FREQ=WEEKLY;COUNT=4", "until", "2027-01-31");

        assertThat(past.status()).isEqualTo(422);
        assertThat(past.body()).contains("Hãy chọn ngày và giờ trong tương lai.");
        assertThat(early.status()).isEqualTo(422);
        assertThat(early.body()).contains("Ngày kết thúc không được trước buổi họp đầu tiên.");
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.body()).contains("Quy tắc đã có UNTIL hoặc COUNT; hãy để trống ngày kết thúc.");
        assertThat(meetings()).isEmpty();
        assertThat(storedSeries()).isZero();
    }

    @Test
    void the_repeat_choice_names_the_weekday_of_the_date_it_was_given() {
        WebClient.Page page = submit("title", "", "date", "2026-12-31", "repeat", "monthly");

        // the fifth Thursday of a month is its last one
        assertThat(page.body()).contains("data-detail=\"weekly\">(Thứ Năm)", "data-detail=\"monthly\">(Thứ Năm cuối cùng)",
                "data-detail=\"lunar\">(ngày ");
    }

    @Test
    void a_meeting_of_the_series_changed_by_hand_says_the_series_leaves_it_alone() {
        long first = firstMeeting(submit("date", "2026-12-06", "repeat", "monthly"));

        WebClient.Page edited = web.post("/meetings/" + first + "/edit", Map.of("csrf", csrf, "title", "Sinh hoạt chi bộ tháng 12 (dời giờ)",
                "kind", "regular", "date", "2026-12-06", "time", "20:00", "duration", "120", "location", "Nhà văn hoá", "reminders", "keep"));

        assertThat(edited.status()).as(edited.body()).isEqualTo(302);
        assertThat(series(first).exception()).isTrue();
        assertThat(web.get("/meetings/" + first + "/edit").body()).contains("Buổi họp này đã được sửa riêng; lịch định kỳ không thay đổi nó nữa.");
    }

    @Test
    void a_one_off_meeting_makes_no_series() {
        long id = firstMeeting(submit("date", "2026-12-06", "repeat", "none", "rrule", "FREQ=DAILY", "until", "2026-12-31"));

        assertThat(meetings()).hasSize(1);
        assertThat(storedSeries()).isZero();
        assertThat(web.get("/meetings/" + id).body()).doesNotContain("data-testid=\"series-line\"");
    }
}
