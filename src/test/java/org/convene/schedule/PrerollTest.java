package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A wave too big for its platform's rate starts early; pre-rolls of many instants are worked out together. */
class PrerollTest {
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    @Test
    void a_wave_that_needs_time_at_the_rate_starts_that_much_earlier_plus_a_margin_whatever_the_instants_precision() {
        app = TestConvene.start(Map.of("CONVENE_LOCAL_RATE_PER_SECOND", "20"));
        long unit = app.unit("Huyện uỷ");
        for (int i = 0; i < 50; i++) app.localChat(unit, "g" + i);
        app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H"));
        Instant due = Instant.parse("2026-12-01T01:00:00Z"); // 08:00 in Viet Nam, three hours before 11:00
        ReminderFiring firing = app.convene.services().firing();

        // 50 messages at 20 in every 1.04 s (the dispatcher's window, with its margin): 2.6 s, then a tenth and 2 s more
        Duration planned = Duration.ofMillis(4860);
        assertThat(firing.preroll(due)).isEqualTo(planned);
        Instant finer = due.plusNanos(123_456);
        assertThat(firing.prerolls(Set.of(finer, due.plusSeconds(60)))).as("an instant given finer than the store's milliseconds")
                .containsEntry(finer, planned).doesNotContainKey(due.plusSeconds(60));
    }
}
