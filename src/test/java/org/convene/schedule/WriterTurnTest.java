package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.convene.store.Database;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quartz on SQLite queues for the writer's turn with Convene's own transactions. More triggers at one moment
 * than Quartz fires in its misfire threshold (so that its misfire handler recovers the later ones while the
 * workers fire the others) and a thread that
 * writes without pause: every trigger fires and every write commits. Before, the misfire handler and the
 * workers met in SQLite's busy handler and writes failed after its 10 s timeout; with the turn taken per
 * connection but Quartz's own lock kept, the two waited for each other for ever.
 */
class WriterTurnTest {
    private static final int LATE_TRIGGERS = 800;

    @TempDir
    Path dir;

    @Test
    // a deadlock blocks the checks themselves (they need the turn too): the test fails instead of hanging
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void late_triggers_all_fire_while_another_thread_writes_without_pause_and_no_write_fails() throws Exception {
        try (Database database = Database.sqlite(dir.resolve("convene.db"))) {
            database.migrate();
            aReminderDueInHalfAnHour(database);
            // each firing works out the pre-roll of that reminder's wave, and here that takes 20 ms: two workers fire
            // 100 triggers a second, so of 800 in less than a second the later ones misfire while the first are fired
            ReminderFiring.WaveTime slow = waves -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ReminderFiring.WaveTime.INSTANT.toSend(waves);
            };
            ReminderFiring firing = new ReminderFiring(database.jdbi(), Clock.systemUTC(), null, () -> {}, slow, Duration.ofHours(1));
            Set<Instant> late = new HashSet<>();
            Instant first = Instant.now().plusSeconds(5);
            for (int i = 0; i < LATE_TRIGGERS; i++) late.add(first.plusMillis(i));

            AtomicInteger committed = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writes = Thread.ofPlatform().start(() -> {
                while (!Thread.currentThread().isInterrupted() && failure.get() == null) {
                    try {
                        int n = committed.get();
                        database.jdbi().useTransaction(h -> h.createUpdate("""
                                        INSERT INTO settings (name, value, updated_at) VALUES ('busy', :v, :at)
                                        ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""")
                                .bind("v", String.valueOf(n)).bind("at", Instant.now()).execute());
                        committed.incrementAndGet();
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                }
            });
            ReminderTriggers triggers = new ReminderTriggers(database.transactionalDataSource(), null, firing, () -> {});
            try {
                triggers.start(late);
                // what is left once every late trigger has fired: the sweep and the series run
                TestConvene.await("every late trigger fired", Duration.ofSeconds(60), () -> triggers.triggerCount() == 1);
            } finally {
                writes.interrupt();
                writes.join(10_000);
                triggers.close();
            }
            assertThat(failure.get()).as("a write beside Quartz's").isNull();
            assertThat(committed.get()).isGreaterThan(0);
        }
    }

    private static void aReminderDueInHalfAnHour(Database database) {
        Instant now = Instant.now();
        database.jdbi().useHandle(h -> {
            h.execute("INSERT INTO units (id, name, parent_id, timezone, locale, feed_token, created_at) VALUES (1, 'Chi bộ 1', NULL, 'Asia/Ho_Chi_Minh', 'vi', 'feed-1', ?)", now);
            h.execute("INSERT INTO chats (id, unit_id, platform, platform_chat_id, title, state, created_at) VALUES (1, 1, 'telegram', '-1001', 'Chi bộ 1', 'active', ?)", now);
            h.execute("""
                    INSERT INTO meetings (id, unit_id, title, kind, starts_at, zone, duration_minutes, location, status, version, created_at, updated_at, recorded)
                    VALUES (1, 1, 'Sinh hoạt chi bộ', 'regular', ?, 'Asia/Ho_Chi_Minh', 120, 'Hội trường', 'scheduled', 1, ?, ?, 0)""",
                    now.plus(Duration.ofHours(2)), now, now);
            h.execute("INSERT INTO reminders (meeting_id, position, offset_iso, kind, due_at, state, created_at) VALUES (1, 0, 'PT90M', 'reminder', ?, 'pending', ?)",
                    now.plus(Duration.ofMinutes(30)), now);
        });
    }
}
