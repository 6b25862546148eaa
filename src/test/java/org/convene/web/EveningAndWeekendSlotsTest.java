package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.convene.meeting.Unit;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simple slot finder: weekday evenings, weekend mornings, in the unit's zone, around the unit's meetings. */
class EveningAndWeekendSlotsTest {
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");

    TestConvene app;
    Unit unit;
    EveningAndWeekendSlots slots;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.convene.services().units().get(app.unit("Chi bộ khu Lạc Thanh"));
        slots = new EveningAndWeekendSlots(app.convene.services().meetings());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    /** Local start times, "yyyy-MM-ddTHH:mm", of the slots from Tuesday 1 December 08:00 for {@code days}. */
    List<String> starts(int days, int minutes) {
        return slots.find(unit, TestConvene.START, TestConvene.START.plus(Duration.ofDays(days)), minutes).stream()
                .map(s -> s.start().atZone(VN).toLocalDateTime().toString()).toList();
    }

    @Test
    void weekday_evenings_offer_starts_that_end_by_half_past_nine() {
        assertThat(starts(1, 120)).containsExactly("2026-12-01T19:00", "2026-12-01T19:30");
        assertThat(starts(1, 60)).containsExactly("2026-12-01T19:00", "2026-12-01T19:30", "2026-12-01T20:00", "2026-12-01T20:30");
    }

    @Test
    void weekend_mornings_are_offered_and_labelled_weekend() {
        var saturday = slots.find(unit, Instant.parse("2026-12-05T00:00:00Z"), Instant.parse("2026-12-05T12:00:00Z"), 120);

        assertThat(saturday).extracting(s -> s.start().atZone(VN).toLocalTime().toString()).containsExactly("08:00", "08:30", "09:00", "09:30");
        assertThat(saturday).extracting(FreeSlots.Slot::why).containsOnly("weekend");
        assertThat(saturday.get(0).end()).isEqualTo(Instant.parse("2026-12-05T03:00:00Z"));
    }

    @Test
    void a_meeting_longer_than_the_evening_is_offered_at_seven_only() {
        assertThat(starts(2, 180)).containsExactly("2026-12-01T19:00", "2026-12-02T19:00");
    }

    @Test
    void times_that_clash_with_the_units_meetings_are_skipped() {
        app.meeting(unit.id(), "2026-12-02T19:30", null);

        assertThat(starts(2, 120)).containsExactly("2026-12-01T19:00", "2026-12-01T19:30");
    }

    @Test
    void times_already_past_are_not_offered() {
        var evening = slots.find(unit, Instant.parse("2026-12-01T12:10:00Z"), Instant.parse("2026-12-01T17:00:00Z"), 60);

        assertThat(evening).extracting(s -> s.start().atZone(VN).toLocalTime().toString()).containsExactly("19:30", "20:00", "20:30");
    }
}
