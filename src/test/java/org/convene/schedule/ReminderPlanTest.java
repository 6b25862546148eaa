package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Requests.ReminderRequest;
import org.junit.jupiter.api.Test;

/** The pure rules from a reminder plan to due instants: local calendar days, quiet hours, and what a plan may say. */
class ReminderPlanTest {
    static final ZoneId VIET_NAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final QuietHours QUIET = new QuietHours(LocalTime.of(21, 30), LocalTime.of(6, 30));
    /** Saturday 5 December 2026, 19:30 in Viet Nam. */
    static final Instant MEETING = local("2026-12-05T19:30", VIET_NAM);

    @Test
    void P3D_before_a_saturday_evening_is_the_wednesday_evening() {
        assertThat(dueLocal("P3D", MEETING, VIET_NAM, QuietHours.NONE)).isEqualTo("2026-12-02T19:30");
    }

    @Test
    void PT2H_before_19_30_is_17_30_the_same_day() {
        assertThat(dueLocal("PT2H", MEETING, VIET_NAM, QuietHours.NONE)).isEqualTo("2026-12-05T17:30");
    }

    @Test
    void P1DT30M_is_a_day_and_half_an_hour_before() {
        assertThat(dueLocal("P1DT30M", MEETING, VIET_NAM, QuietHours.NONE)).isEqualTo("2026-12-04T19:00");
    }

    @Test
    void P1W_is_seven_days_before() {
        assertThat(dueLocal("P1W", MEETING, VIET_NAM, QuietHours.NONE)).isEqualTo("2026-11-28T19:30");
    }

    /** Berlin leaves summer time on 25 October 2026 at 03:00: three calendar days back are 73 hours, not 72. */
    @Test
    void days_count_on_the_local_calendar_across_a_dst_change() {
        Instant meeting = local("2026-10-26T19:00", BERLIN);

        Instant due = due("P3D", meeting, BERLIN, QuietHours.NONE);

        assertThat(due.atZone(BERLIN).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2026-10-23T19:00"));
        assertThat(Duration.between(due, meeting)).isEqualTo(Duration.ofHours(73));
    }

    /** 03:00 CET on the night of the change; two real hours earlier the clocks still showed summer time. */
    @Test
    void the_time_part_counts_elapsed_hours_across_a_dst_change() {
        Instant meeting = local("2026-10-25T03:00", BERLIN);

        Instant due = due("PT2H", meeting, BERLIN, QuietHours.NONE);

        assertThat(Duration.between(due, meeting)).isEqualTo(Duration.ofHours(2));
        assertThat(due.atZone(BERLIN).toOffsetDateTime()).isEqualTo(OffsetDateTime.parse("2026-10-25T02:00+02:00"));
    }

    @Test
    void a_reminder_due_in_the_late_evening_moves_to_21_29_the_same_evening() {
        assertThat(shifted("2026-12-04T22:00")).isEqualTo("2026-12-04T21:29");
    }

    @Test
    void a_reminder_due_after_midnight_moves_to_21_29_the_evening_before() {
        assertThat(shifted("2026-12-05T02:00")).isEqualTo("2026-12-04T21:29");
    }

    @Test
    void a_reminder_at_the_edges_of_quiet_hours_stays() {
        assertThat(shifted("2026-12-04T21:29")).isEqualTo("2026-12-04T21:29");
        assertThat(shifted("2026-12-05T06:30")).isEqualTo("2026-12-05T06:30");
    }

    @Test
    void a_plan_falling_into_quiet_hours_is_due_before_they_begin() {
        Instant lateMeeting = local("2026-12-05T23:30", VIET_NAM);

        assertThat(dueLocal("PT1H", lateMeeting, VIET_NAM, QUIET)).isEqualTo("2026-12-05T21:29");
    }

    @Test
    void no_quiet_hours_move_nothing() {
        for (String at : List.of("2026-12-04T22:00", "2026-12-05T02:00", "2026-12-05T00:00", "2026-12-05T06:29")) {
            Instant instant = local(at, VIET_NAM);
            assertThat(QuietHours.NONE.shiftOut(instant, VIET_NAM)).as(at).isEqualTo(instant);
        }
    }

    @Test
    void the_first_reminder_is_the_agenda_and_the_rest_are_reminders_unless_told() {
        ReminderPlan plan = ReminderPlan.parse(List.of(request("P3D"), request("P1D"), new ReminderRequest("PT2H", "chase")));

        assertThat(plan.entries()).extracting(ReminderPlan.Entry::kind).containsExactly("agenda", "reminder", "chase");
    }

    @Test
    void sixty_days_is_the_longest_offset() {
        assertThat(ReminderPlan.parse(List.of(request("P60D"))).entries()).hasSize(1);
        assertThat(fieldErrors(request("P60DT1M"))).extracting(FieldError::field).containsExactly("reminders[0].offset");
    }

    @Test
    void an_empty_offset_is_refused_naming_its_field() {
        assertThat(fieldErrors(request("P1D"), request(""))).extracting(FieldError::field).containsExactly("reminders[1].offset");
    }

    @Test
    void an_offset_in_words_is_refused_naming_its_field() {
        assertThat(fieldErrors(request("P1D"), request("three days"))).extracting(FieldError::field)
                .containsExactly("reminders[1].offset");
    }

    @Test
    void a_negative_offset_is_refused_naming_its_field() {
        assertThat(fieldErrors(request("P1D"), request("-PT2H"))).extracting(FieldError::field).containsExactly("reminders[1].offset");
        assertThat(fieldErrors(request("P1D"), request("-P1D"))).extracting(FieldError::field).containsExactly("reminders[1].offset");
    }

    @Test
    void an_offset_over_sixty_days_is_refused_naming_its_field() {
        assertThat(fieldErrors(request("P1D"), request("P61D"))).extracting(FieldError::field).containsExactly("reminders[1].offset");
        assertThat(fieldErrors(request("P1D"), request("P9W"))).extracting(FieldError::field).containsExactly("reminders[1].offset");
    }

    @Test
    void an_unknown_kind_is_refused_naming_its_field() {
        assertThat(fieldErrors(request("P1D"), new ReminderRequest("PT1H", "shout"))).extracting(FieldError::field)
                .containsExactly("reminders[1].kind");
    }

    @Test
    void more_than_ten_reminders_are_refused() {
        List<ReminderRequest> eleven = new ArrayList<>(Collections.nCopies(11, request("PT1H")));

        assertThat(fieldErrors(eleven.toArray(ReminderRequest[]::new))).extracting(FieldError::field).containsExactly("reminders");
    }

    @Test
    void every_bad_entry_is_reported_at_once() {
        assertThat(fieldErrors(request("three days"), request("P1D"), new ReminderRequest("PT1H", "shout")))
                .extracting(FieldError::field).containsExactly("reminders[0].offset", "reminders[2].kind");
    }

    // ---- helpers ----

    static ReminderRequest request(String offset) {
        return new ReminderRequest(offset, null);
    }

    static Instant local(String at, ZoneId zone) {
        return LocalDateTime.parse(at).atZone(zone).toInstant();
    }

    static Instant due(String offset, Instant meeting, ZoneId zone, QuietHours quiet) {
        ReminderPlan.Entry entry = ReminderPlan.parse(List.of(request(offset))).entries().get(0);
        return ReminderPlan.due(entry, meeting, zone, quiet);
    }

    static String dueLocal(String offset, Instant meeting, ZoneId zone, QuietHours quiet) {
        return due(offset, meeting, zone, quiet).atZone(zone).toLocalDateTime().toString();
    }

    static String shifted(String at) {
        return QUIET.shiftOut(local(at, VIET_NAM), VIET_NAM).atZone(VIET_NAM).toLocalDateTime().toString();
    }

    static List<FieldError> fieldErrors(ReminderRequest... requests) {
        ConveneException.Invalid invalid = catchThrowableOfType(ConveneException.Invalid.class,
                () -> ReminderPlan.parse(List.of(requests)));
        assertThat(invalid).as("the plan should be refused").isNotNull();
        return invalid.errors();
    }
}
