package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reminders across restarts, changes and cancellations, driven by the test's clock. */
class ReminderLifecycleTest {
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @Test
    void reminder_fired_twice_sends_once() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        long meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H")).get("id").asLong();
        app.advance(Duration.ZERO);
        app.advance(Duration.ZERO);
        assertThat(app.convene.services().firing().fireDue().fired()).isZero();
        await("agenda sent", () -> sentCount(meeting) == 1);
        assertThat(app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body()).hasSize(1);
        assertThat(app.localMessages("c1")).hasSize(1);
    }

    @Test
    void a_firing_a_few_milliseconds_early_counts_as_on_time_but_not_one_well_before() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        app.meeting(unit, "2026-12-01T11:00:00", List.of("PT2H")); // 09:00 local, an hour after the test's start
        ReminderFiring firing = app.convene.services().firing();
        Instant due = Instant.parse("2026-12-01T02:00:00Z");
        Instant start = due.minus(firing.preroll(due));

        app.clock.set(start.minus(ReminderFiring.ON_TIME).minusMillis(10));
        assertThat(firing.fireDue().fired()).as("30 ms before its wave must start").isZero();
        // Quartz wakes up to 2 ms before a trigger: found "not due" by that much, the instant was planned again
        app.clock.set(start.minusMillis(2));
        assertThat(firing.fireDue().fired()).as("2 ms before").isEqualTo(1);
    }

    @Test
    void a_reminder_due_while_the_service_was_down_goes_out_once_after_restart() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        long meeting = app.meeting(unit, "2026-12-01T19:30:00", List.of("PT6H", "PT1H")).get("id").asLong();
        MutableClock clock = app.clock;
        var dir = app.dataDir;
        app.close();

        clock.set(clock.instant().plus(Duration.ofHours(7))); // 15:00 local: the 13:30 reminder passed while down
        app = TestConvene.startIn(dir, clock, Map.of(), c -> c);
        await("late agenda sent", () -> sentCount(meeting) == 1);
        JsonNode reminders = app.api.get("/api/v1/meetings/" + meeting).body().get("reminders");
        assertThat(reminders.get(0).get("state").asText()).isEqualTo("fired");
        assertThat(reminders.get(1).get("state").asText()).isEqualTo("pending");

        app.close();
        app = TestConvene.startIn(dir, clock, Map.of(), c -> c);
        app.advance(Duration.ZERO);
        assertThat(app.localMessages("c1")).hasSize(1);
    }

    @Test
    void a_reminder_whose_meeting_began_while_down_is_missed_not_sent() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        long meeting = app.meeting(unit, "2026-12-01T19:30:00", List.of("PT6H")).get("id").asLong();
        MutableClock clock = app.clock;
        var dir = app.dataDir;
        app.close();

        clock.set(clock.instant().plus(Duration.ofHours(13))); // 21:00 local: the meeting has begun
        app = TestConvene.startIn(dir, clock, Map.of(), c -> c);
        JsonNode reminders = app.api.get("/api/v1/meetings/" + meeting).body().get("reminders");
        assertThat(reminders.get(0).get("state").asText()).isEqualTo("missed");
        assertThat(app.localMessages("c1")).isEmpty();
        assertThat(app.anonymous.get("/metrics").text()).contains("convene_reminders_missed 1.0");
    }

    @Test
    void changing_the_time_after_the_agenda_went_out_posts_a_notice_and_replans_the_pending_reminders() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        JsonNode created = app.meeting(unit, "2026-12-05T19:30:00", List.of("P4D", Map.of("offset", "PT2H", "kind", "reminder")));
        long meeting = created.get("id").asLong();
        assertThat(created.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-01T19:30:00+07:00");
        app.advance(Duration.ofHours(12)); // 20:00 local on the 1st: the agenda is due
        await("agenda sent", () -> sentCount(meeting) == 1);

        JsonNode changed = app.api.patch("/api/v1/meetings/" + meeting, Map.of("startsAt", "2026-12-06T18:00:00")).body();
        assertThat(changed.get("version").asInt()).isEqualTo(2);
        JsonNode reminders = changed.get("reminders");
        assertThat(reminders).extracting(r -> r.get("state").asText() + " " + r.get("dueAt").asText())
                .containsExactlyInAnyOrder("fired 2026-12-01T19:30:00+07:00", "cancelled 2026-12-05T17:30:00+07:00",
                        "pending 2026-12-06T16:00:00+07:00");
        app.advance(Duration.ZERO);
        await("change notice sent", () -> app.localMessages("c1").size() == 2);
        assertThat(app.localMessages("c1").get(1).get("text").asText())
                .contains("Thay đổi lịch họp", "Chủ Nhật, 06/12/2026 lúc 18:00\nĐịa điểm: Nhà văn hoá", "05/12/2026 lúc 19:30");

        app.api.patch("/api/v1/meetings/" + meeting, Map.of("title", "Sinh hoạt chuyên đề"));
        app.advance(Duration.ZERO);
        assertThat(app.localMessages("c1")).as("a new title alone is not announced").hasSize(2);
    }

    @Test
    void changing_a_meeting_before_anything_went_out_posts_nothing() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        long meeting = app.meeting(unit, "2026-12-05T19:30:00", List.of("P3D")).get("id").asLong();
        app.api.patch("/api/v1/meetings/" + meeting, Map.of("startsAt", "2026-12-05T20:00:00", "location", "Trụ sở"));
        app.advance(Duration.ZERO);
        assertThat(app.localMessages("c1")).isEmpty();
        JsonNode reminders = app.api.get("/api/v1/meetings/" + meeting).body().get("reminders");
        assertThat(reminders).extracting(r -> r.get("state").asText()).containsExactly("cancelled", "pending");
        assertThat(reminders.get(1).get("dueAt").asText()).isEqualTo("2026-12-02T20:00:00+07:00");
    }

    @Test
    void cancelling_cancels_pending_reminders_and_tells_the_chats_when_something_went_out() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        long meeting = app.meeting(unit, "2026-12-05T19:30:00", List.of("P4D", "P1D")).get("id").asLong();
        app.advance(Duration.ofHours(12));
        await("agenda sent", () -> sentCount(meeting) == 1);

        JsonNode cancelled = app.api.post("/api/v1/meetings/" + meeting + "/cancel", Map.of("reason", "Bão số 9")).body();
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("reminders")).extracting(r -> r.get("state").asText()).containsExactly("fired", "cancelled");
        app.advance(Duration.ZERO);
        await("cancellation notice", () -> app.localMessages("c1").size() == 2);
        assertThat(app.localMessages("c1").get(1).get("text").asText()).contains("Huỷ cuộc họp", ")\nLý do: Bão số 9");

        app.advance(Duration.ofDays(4));
        assertThat(app.localMessages("c1")).hasSize(2);
    }

    @Test
    void quiet_hours_move_a_reminder_before_they_begin() {
        app = TestConvene.start(Map.of("CONVENE_REMINDERS_QUIET_HOURS", "21:30-06:30"));
        long unit = app.unit("Chi bộ 1");
        // a holiday-morning meeting at 07:00: PT1H would be 06:00, inside quiet hours → 21:29 the evening before
        JsonNode m = app.meeting(unit, "2026-12-06T07:00:00", List.of("PT1H"));
        assertThat(m.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-05T21:29:00+07:00");
    }

    @Test
    void a_late_meeting_sends_its_agenda_at_once_and_drops_reminders_already_past() {
        app = TestConvene.start();
        long unit = app.unit("Chi bộ 1");
        app.localChat(unit, "c1");
        // 08:00 now; a meeting at 09:00 with the default plan (P3D agenda, P1D, PT2H): all three are past
        JsonNode m = app.meeting(unit, "2026-12-01T09:00:00", null);
        assertThat(m.get("reminders")).hasSize(1);
        assertThat(m.at("/reminders/0/kind").asText()).isEqualTo("agenda");
        assertThat(m.at("/reminders/0/dueAt").asText()).isEqualTo("2026-12-01T08:00:00+07:00");
        app.advance(Duration.ZERO);
        await("agenda sent", () -> app.localMessages("c1").size() == 1);
    }

    @Test
    void a_local_rate_limit_is_honoured_and_every_chat_gets_its_agenda() {
        app = TestConvene.start(Map.of("CONVENE_LOCAL_RATE_PER_SECOND", "20"));
        long unit = app.unit("Huyện uỷ");
        for (int i = 0; i < 50; i++) app.localChat(unit, "g" + i);
        long meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H")).get("id").asLong();
        app.advance(Duration.ZERO);
        await("first second's share sent", () -> sentCount(meeting) == 20);
        assertThat(sentCount(meeting)).as("no more than the rate while the clock stands still").isEqualTo(20);
        // the dispatcher's window is a little longer than a second (its margin for the network's jitter)
        app.advance(Duration.ofMillis(1030));
        await("second second's share sent", () -> sentCount(meeting) == 40);
        app.advance(Duration.ofMillis(1030));
        await("all sent", () -> sentCount(meeting) == 50);
        for (int i = 0; i < 50; i++) assertThat(app.localMessages("g" + i)).hasSize(1);
        JsonNode deliveries = app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body();
        assertThat(deliveries).allSatisfy(d -> assertThat(d.get("attempts").asInt()).isEqualTo(1));
    }

    private int sentCount(long meeting) {
        int n = 0;
        for (JsonNode d : app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body()) if (d.get("state").asText().equals("sent")) n++;
        return n;
    }
}
