package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health's database check asks the database at most once a second, and a failure shows within that second. */
class HealthCheckTest {
    @TempDir
    Path dir;

    @Test
    void the_database_check_is_cached_for_a_second_and_then_tells_the_truth() {
        MutableClock clock = new MutableClock(TestConvene.START);
        Database db = Database.sqlite(dir.resolve("convene.db"));
        db.migrate();
        BooleanSupplier check = db.healthCheck(clock, Duration.ofSeconds(1));
        assertThat(check.getAsBoolean()).isTrue();
        db.close();
        assertThat(db.healthy()).as("the database itself is gone").isFalse();
        clock.advance(Duration.ofMillis(999));
        assertThat(check.getAsBoolean()).as("within the second, the cached answer").isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(check.getAsBoolean()).as("after it, asked again").isFalse();
    }
}
