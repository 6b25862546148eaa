package org.convene.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.convene.app.Convene;
import org.convene.schedule.Reminder;

/**
 * Reminders on the second: many reminders due at instants spread over the next minutes, on the real
 * clock, each to its unit's Telegram group. Measures, per reminder, the time from its due instant to its
 * first message sent (0 when pre-roll sent it early). The platform's rate is not the limit here (the
 * paid-broadcast rate, far above the reminders' pace): what is measured is Convene's own lateness,
 * Quartz firing and the dispatcher.
 */
record LagScenario(Size size) implements Scenario {
    static final String NAME = "lag";

    /**
     * @param reminders how many; @param spread over how long; @param meetingsPerUnit reminders share groups;
     * @param lead from the set-up to the first possible due instant (setting the triggers is not measured)
     */
    record Size(int reminders, Duration spread, int meetingsPerUnit, Duration lead) {
        static Size full() {
            return new Size(10_000, Duration.ofMinutes(5), 5, Duration.ofSeconds(10));
        }

        static Size quick() {
            return new Size(2_000, Duration.ofSeconds(60), 5, Duration.ofSeconds(10));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(Machine machine) throws Exception {
        int units = (size.reminders() + size.meetingsPerUnit() - 1) / size.meetingsPerUnit();
        try (FakeBotApiServer botApi = new FakeBotApiServer(1_000, 20);
             BenchConvene bench = new BenchConvene(botApi, 1_000)) {
            Scenario.progress(NAME, "seeding " + units + " units with a Telegram group and " + size.meetingsPerUnit() + " meetings each");
            Convene convene = bench.start();
            List<ProvinceSeed.Group> groups = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).groups(units));
            List<ProvinceSeed.Group> hosts = new ArrayList<>();
            for (int i = 0; i < size.reminders(); i++) hosts.add(groups.get(i % units));
            // a reminder two hours before its meeting; the meetings start in the evening, hours away
            Instant evening = Instant.now().plus(Duration.ofHours(3));
            List<Long> meetings = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).meetings(hosts, u -> evening));
            Random random = new Random(42);
            long spreadMillis = size.spread().toMillis();
            long[] offsets = new long[meetings.size()];
            for (int i = 0; i < offsets.length; i++) offsets[i] = (long) (random.nextDouble() * spreadMillis);
            // due instants start once every trigger is in place (setting them up is not measured)
            Instant start = Instant.now().plus(size.lead());
            long first = meetings.getFirst();
            bench.seed(jdbi -> {
                new ProvinceSeed(jdbi, Instant.now()).reminders(meetings, Reminder.REMINDER, m -> start.plusMillis(offsets[(int) (m - first)]));
                return null;
            });
            Set<Instant> instants = new HashSet<>();
            for (long offset : offsets) instants.add(start.plusMillis(offset));
            long ensureStarted = System.nanoTime();
            convene.services().triggers().ensure(instants);
            Scenario.progress(NAME, String.format("%d reminders at %d distinct instants over %s; their triggers took %.1f s to set",
                    size.reminders(), instants.size(), size.spread(), (System.nanoTime() - ensureStarted) / 1e9));
            Instant deadline = start.plus(size.spread()).plus(Duration.ofSeconds(60));
            long sent = 0;
            while (Instant.now().isBefore(deadline)) {
                sent = bench.jdbi().withHandle(h -> ProvinceSeed.count(h, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"));
                if (sent >= size.reminders()) break;
                Thread.sleep(500);
            }
            Latencies lag = new Latencies();
            List<long[]> rows = bench.jdbi().withHandle(h -> h.createQuery("""
                            SELECT r.due_at, MIN(d.sent_at) FROM reminders r JOIN deliveries d ON d.reminder_id = r.id
                            WHERE d.state = 'sent' GROUP BY r.id""")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list());
            int early = 0;
            for (long[] r : rows) {
                long late = r[1] - r[0];
                if (late < 0) early++;
                lag.add(Math.max(0, late) * 1_000_000L);
            }
            long missed = bench.jdbi().withHandle(h -> ProvinceSeed.count(h, "SELECT COUNT(*) FROM reminders WHERE state <> 'fired'"));
            Scenario.progress(NAME, String.format("%d of %d sent (%d early by pre-roll, %d not fired); lag p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                    rows.size(), size.reminders(), early, missed, lag.percentileMillis(50), lag.percentileMillis(99), lag.maxMillis()));
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(NAME, "reminders_sent", rows.size(), "reminders", size.reminders(), machine));
            figures.add(new Figure(NAME, "lag_p50", lag.percentileMillis(50), "ms", 1_000, machine));
            figures.add(new Figure(NAME, "lag_p99", lag.percentileMillis(99), "ms", 1_000, machine));
            figures.add(new Figure(NAME, "lag_max", lag.maxMillis(), "ms", 1_000, machine));
            return figures;
        }
    }
}
