package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.convene.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several nodes started at the same moment on a fresh PostgreSQL database (a cluster upgraded at once):
 * each finds the sweep and series triggers missing and makes them, and every start-up succeeds. In one
 * JVM Quartz hands every scheduler of one name the same instance, so the three start-ups race on the
 * clustered store exactly as three processes' would, many times in a few seconds.
 */
class SimultaneousStartTest {
    private static final int NODES = 3;
    private static final int ROUNDS = 8;
    static EmbeddedPostgres postgres;
    static Database database;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = Database.open(postgres.getJdbcUrl("postgres", "postgres"), null, null);
        database.migrate();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        database.close();
        postgres.close();
    }

    @Test
    void three_nodes_starting_together_on_a_fresh_database_all_start_many_times_over() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                freshScheduleTables();
                List<ReminderTriggers> nodes = new ArrayList<>();
                for (int i = 0; i < NODES; i++) nodes.add(node("node-" + i));
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<?>> startups = new ArrayList<>();
                for (ReminderTriggers node : nodes) {
                    startups.add(threads.submit(() -> {
                        together.await();
                        node.start(Set.of());
                        return null;
                    }));
                }
                try {
                for (Future<?> startup : startups) startup.get();
                    assertThat(nodes).allSatisfy(n -> assertThat(n.healthy()).isTrue());
                    assertThat(triggers()).as("round " + round).containsExactlyInAnyOrder("series-every-6h", "sweep");
                } finally {
                    nodes.forEach(ReminderTriggers::close);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void a_start_up_that_fails_names_its_cause() {
        IllegalStateException failure = new IllegalStateException("cannot start the Quartz scheduler: "
                + ReminderTriggers.causes(new org.quartz.SchedulerException("Failure obtaining db row lock",
                        new java.sql.SQLException("Connection to localhost:5432 refused"))));

        assertThat(failure.getMessage()).isEqualTo("cannot start the Quartz scheduler: Failure obtaining db row lock: "
                + "Connection to localhost:5432 refused");
    }

    private static ReminderTriggers node(String name) {
        ReminderFiring firing = new ReminderFiring(database.jdbi(), Clock.systemUTC(), null, () -> {}, ReminderFiring.WaveTime.INSTANT,
                Duration.ZERO);
        return new ReminderTriggers(database.dataSource(), name, firing, () -> {});
    }

    /** As on a database no node has started on yet: no triggers, no jobs, no node checked in. */
    private static void freshScheduleTables() {
        database.jdbi().useHandle(h -> {
            for (String table : List.of("qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
                    "qrtz_fired_triggers", "qrtz_triggers", "qrtz_job_details", "qrtz_scheduler_state")) {
                h.execute("DELETE FROM " + table);
            }
        });
    }

    private static List<String> triggers() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT trigger_name FROM qrtz_triggers").mapTo(String.class).list());
    }
}
