package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the machine's time, so that Quartz decides: an agenda that is due already when it is planned or
 * re-planned fires at once, even when its wave's pre-roll would put its trigger well in the past (where
 * Quartz leaves a trigger to its misfire scan, seconds later).
 */
class OverdueReminderTest {
    TestConvene app;
    long unit;

    @BeforeEach
    void aUnitWithTwentyChatsAtOneMessageASecond() throws Exception {
        app = TestConvene.startIn(Files.createTempDirectory("convene-test-"), MutableClock.ticking(),
                Map.of("CONVENE_LOCAL_RATE_PER_SECOND", "1"), c -> c);
        unit = app.unit("Chi bộ 3");
        for (int i = 0; i < 20; i++) app.localChat(unit, "g" + i);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void an_agenda_planned_after_its_instant_fires_within_a_second() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long meeting = meeting(start, "P1D");
        Instant planned = Instant.now();

        await("the agenda fired", () -> state(meeting).equals("fired"));

        assertThat(Duration.between(planned, Instant.now())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void an_agenda_made_overdue_by_a_change_of_time_fires_within_a_second() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long meeting = meeting(start, "PT2H");
        assertThat(state(meeting)).isEqualTo("pending");

        assertThat(app.api.patch("/api/v1/meetings/" + meeting, Map.of("startsAt", start.minusHours(2).toString())).status()).isEqualTo(200);
        Instant replanned = Instant.now();

        await("the agenda fired", () -> app.api.get("/api/v1/meetings/" + meeting).body().get("reminders").findValuesAsText("state").contains("fired"));
        assertThat(Duration.between(replanned, Instant.now())).isLessThan(Duration.ofSeconds(1));
    }

    private long meeting(OffsetDateTime start, String offset) {
        return app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp chi bộ", "startsAt", start.toString(),
                "reminders", List.of(Map.of("offset", offset, "kind", "agenda")))).body().get("id").asLong();
    }

    private String state(long meeting) {
        return app.api.get("/api/v1/meetings/" + meeting).body().at("/reminders/0/state").asText();
    }
}
