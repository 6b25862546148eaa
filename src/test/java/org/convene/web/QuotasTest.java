package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.web.ApiErrorsTest.assertError;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One unit's token cannot fill the database or the chats: each quota answers 422 or 429 naming its key. */
class QuotasTest {
    static TestConvene app;

    @BeforeAll
    static void start() {
        app = TestConvene.start(Map.of("CONVENE_LIMITS_MEETINGS_PER_DAY", "3", "CONVENE_LIMITS_ACTIVE_SERIES", "2",
                "CONVENE_LIMITS_REMINDERS_PER_MEETING", "3", "CONVENE_LIMITS_CHATS", "2", "CONVENE_LIMITS_CHASES_PER_HOUR", "2"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Http.Reply meeting(long unit, List<?> reminders) {
        return app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt", "2026-12-20T19:30", "reminders", reminders));
    }

    @Test
    void a_unit_creating_more_meetings_a_day_than_the_limit_gets_429_with_retry_after_until_a_day_has_passed() {
        long unit = app.unit("Chi bộ họp nhiều");
        long other = app.unit("Chi bộ bên cạnh");
        for (int i = 0; i < 3; i++) assertThat(meeting(unit, List.of("P1D")).status()).isEqualTo(201);

        Http.Reply refused = meeting(unit, List.of("P1D"));

        assertError(refused, 429, "too_many");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.meetingsPerDay");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, Duration.ofDays(1).toSeconds());
        assertThat(meeting(other, List.of("P1D")).status()).as("another unit is not held back").isEqualTo(201);
        app.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(meeting(unit, List.of("P1D")).status()).isEqualTo(201);
    }

    @Test
    void more_reminders_on_a_meeting_than_the_limit_is_422_naming_it() {
        long unit = app.unit("Chi bộ nhắc nhiều");

        Http.Reply refused = meeting(unit, List.of("P4D", "P3D", "P2D", "P1D"));

        assertError(refused, 422, "invalid");
        assertThat(refused.body().at("/error/details/0/field").asText()).isEqualTo("reminders");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.remindersPerMeeting");
    }

    @Test
    void more_running_series_than_the_limit_is_422_naming_it() {
        long unit = app.unit("Chi bộ nhiều chuỗi");
        Map<String, Object> series = Map.of("unitId", unit, "title", "Sinh hoạt", "rrule", "FREQ=MONTHLY;BYMONTHDAY=5",
                "startDate", "2027-01-01", "startTime", "19:30", "reminders", List.of("P1D"));
        assertThat(app.api.post("/api/v1/series", series).status()).isEqualTo(201);
        long second = app.api.post("/api/v1/series", series).body().get("id").asLong();

        Http.Reply refused = app.api.post("/api/v1/series", series);

        assertError(refused, 422, "invalid");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.activeSeries");
        assertThat(app.api.post("/api/v1/series/" + second + "/end", Map.of("until", "2026-11-30")).status()).isEqualTo(200);
        assertThat(app.api.post("/api/v1/series", series).status()).as("an ended series frees its place").isEqualTo(201);
    }

    @Test
    void more_chats_than_the_limit_is_422_and_no_link_code_is_issued_for_one_more() {
        long unit = app.unit("Chi bộ nhiều nhóm");
        app.localChat(unit, "q1");
        app.localChat(unit, "q2");

        Http.Reply refused = app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "local", "chatId", "q3"));

        assertError(refused, 422, "invalid");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.chats");
        assertError(app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()), 422, "invalid");
    }

    @Test
    void chasing_a_meeting_more_often_than_the_limit_is_429_until_the_hour_has_passed() {
        long unit = app.unit("Chi bộ nhắc");
        app.member(unit, "Nguyễn Văn An", "an");
        app.localChat(unit, "chase-chat");
        // the agenda goes out in an hour (a chase needs its buttons), the meeting is three hours away then;
        // times from the clock, which other tests of this class move
        Http.Reply created = app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp", "startsAt",
                app.clock.instant().plus(Duration.ofHours(4)).atOffset(java.time.ZoneOffset.ofHours(7)).toString(), "reminders", List.of("PT3H")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long meeting = created.body().get("id").asLong();
        app.advance(Duration.ofHours(1));
        TestConvene.await("the agenda in the chat", () -> app.localMessages("chase-chat").size() > 0);
        for (int i = 0; i < 2; i++) {
            Http.Reply chased = app.api.post("/api/v1/meetings/" + meeting + "/chase", Map.of());
            assertThat(chased.status()).as(chased.text()).isEqualTo(200);
        }

        Http.Reply refused = app.api.post("/api/v1/meetings/" + meeting + "/chase", Map.of());

        assertError(refused, 429, "too_many");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.chasesPerHour");
        assertThat(refused.header("Retry-After")).isNotNull();
        app.advance(Duration.ofHours(1).plusSeconds(1));
        assertThat(app.api.post("/api/v1/meetings/" + meeting + "/chase", Map.of()).status()).isEqualTo(200);
    }
}
