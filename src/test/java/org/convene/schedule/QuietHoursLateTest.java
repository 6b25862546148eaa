package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.schedule.ReminderPlanTest.QUIET;
import static org.convene.schedule.ReminderPlanTest.VIET_NAM;
import static org.convene.schedule.ReminderPlanTest.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convene.meeting.Requests.ReminderRequest;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quiet hours (21:30–06:30) when the slot they move a reminder to has passed: it goes out when they end
 * if that is before the meeting, at once only when the meeting itself starts inside them, never silently
 * in the night. Planned at several local hours.
 */
class QuietHoursLateTest {
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @Test
    void at_02_00_a_reminder_moved_to_the_past_evening_goes_out_when_quiet_hours_end() {
        // 08:00 meeting, PT2H → 06:00, inside quiet hours → 21:29 the evening before, which has passed at 02:00
        assertThat(planned("PT2H", "agenda", "2026-12-05T08:00", "2026-12-05T02:00")).contains("2026-12-05T06:30");
        assertThat(planned("PT2H", "reminder", "2026-12-05T08:00", "2026-12-05T02:00")).contains("2026-12-05T06:30");
    }

    @Test
    void at_23_00_an_agenda_whose_slot_passed_waits_for_the_morning() {
        assertThat(planned("P1D", "agenda", "2026-12-06T19:30", "2026-12-05T23:00")).contains("2026-12-06T06:30");
    }

    @Test
    void at_05_00_a_meeting_at_06_00_inside_quiet_hours_gets_its_agenda_at_once() {
        assertThat(planned("PT2H", "agenda", "2026-12-05T06:00", "2026-12-05T05:00")).contains("2026-12-05T05:00");
    }

    @Test
    void at_06_15_a_meeting_at_06_40_gets_its_agenda_when_quiet_hours_end_just_before_it() {
        assertThat(planned("PT1H", "agenda", "2026-12-05T06:40", "2026-12-05T06:15")).contains("2026-12-05T06:30");
    }

    @Test
    void at_10_00_an_agenda_whose_slot_passed_goes_at_once_and_a_mere_reminder_late_for_its_own_slot_is_dropped() {
        assertThat(planned("P1D", "agenda", "2026-12-05T19:30", "2026-12-05T10:00")).contains("2026-12-05T10:00");
        assertThat(planned("PT2H", "reminder", "2026-12-05T11:00", "2026-12-05T10:00")).isEmpty();
    }

    @Test
    void at_21_00_a_slot_in_the_night_moves_to_21_29_which_is_still_to_come() {
        assertThat(planned("PT2H", "reminder", "2026-12-06T07:00", "2026-12-05T21:00")).contains("2026-12-05T21:29");
    }

    @Test
    void nothing_is_planned_once_the_meeting_has_begun() {
        assertThat(planned("PT2H", "agenda", "2026-12-05T01:00", "2026-12-05T02:00")).isEmpty();
    }

    @Test
    void a_meeting_created_at_02_00_for_08_00_has_its_agenda_due_at_06_30_and_it_does_not_go_before() {
        app = TestConvene.start(Map.of("CONVENE_REMINDERS_QUIET_HOURS", "21:30-06:30"));
        app.clock.set(local("2026-12-02T02:00", VIET_NAM));
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "g1");

        JsonNode m = app.meeting(unit, "2026-12-02T08:00:00", List.of("PT2H"));
        assertThat(m.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-02T06:30:00+07:00");
        app.advance(Duration.ofHours(4).plusMinutes(29));
        app.convene.services().dispatcher().drainOnce();
        assertThat(app.localMessages("g1")).as("nothing in the night").isEmpty();

        app.advance(Duration.ofMinutes(1));
        TestConvene.await("the agenda at 06:30", () -> app.localMessages("g1").size() == 1);
        assertThat(app.localMessages("g1").get(0).get("text").asText()).doesNotContain("giờ yên tĩnh");
    }

    @Test
    void a_meeting_at_05_30_created_at_02_00_gets_its_agenda_at_once_saying_why() {
        app = TestConvene.start(Map.of("CONVENE_REMINDERS_QUIET_HOURS", "21:30-06:30"));
        app.clock.set(local("2026-12-02T02:00", VIET_NAM));
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "g1");

        JsonNode m = app.meeting(unit, "2026-12-02T05:30:00", List.of("PT2H"));
        assertThat(m.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-02T02:00:00+07:00");
        app.advance(Duration.ZERO);

        TestConvene.await("the agenda at once", () -> app.localMessages("g1").size() == 1);
        assertThat(app.localMessages("g1").get(0).get("text").asText())
                .startsWith("🌙 Tin này gửi trong giờ yên tĩnh vì cuộc họp bắt đầu lúc 05:30.");
    }

    /** When the entry goes out, planned at {@code now}, as local date-time; empty when dropped. */
    private static Optional<String> planned(String offset, String kind, String meeting, String now) {
        ReminderPlan.Entry entry = ReminderPlan.parse(List.of(new ReminderRequest(offset, kind))).entries().get(0);
        Optional<Instant> due = ReminderPlan.due(entry, local(meeting, VIET_NAM), VIET_NAM, QUIET, local(now, VIET_NAM));
        return due.map(d -> d.atZone(VIET_NAM).toLocalDateTime().toString());
    }
}
