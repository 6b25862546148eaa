package org.convene.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.convene.app.Convene;
import org.convene.delivery.ButtonIds;

/**
 * Members pressing "Received" under a posted agenda, as Telegram pushes the presses: callback_query
 * webhooks over real HTTP from 40 connections at once, each press from a different member. Measures the
 * acknowledgements committed per second and the webhook's round trip, against the rate at which SQLite
 * takes the same rows in batches on this machine and against the same server's cheapest request
 * ({@code GET /health} from as many connections), both measured in the same run. It runs in two layouts:
 * a province's cells (units of 50) and one unit of 50,000, since a press must cost the same in both.
 */
record IngestScenario(List<Size> layouts) implements Scenario {
    static final String NAME = "ingest";
    /** The goals: acknowledgements committed per second, and the round trip's 99th percentile. */
    static final double GOAL_PER_SECOND = 5_000;
    static final double GOAL_P99_MILLIS = 25;

    IngestScenario(Size size) {
        this(List.of(size));
    }

    /**
     * @param presses measured presses (one member each); @param warmUp presses before (other members), not measured;
     * @param suffix what the layout's metrics end with ("" for the province's cells)
     */
    record Size(int presses, int warmUp, int connections, int membersPerUnit, String suffix) {
        Size(int presses, int warmUp, int connections, int membersPerUnit) {
            this(presses, warmUp, connections, membersPerUnit, "");
        }

        /**
         * The cells run first, in a JVM that has just started: 20,000 presses before the measured ones let the JIT
         * compile the tap's path (with 6,000 its compilation was still under way and a press cost half as much
         * again as in the second layout, measured right after in the same JVM).
         */
        static List<Size> full() {
            return List.of(new Size(60_000, 20_000, 40, 50), new Size(45_000, 5_000, 40, 50_000, "_one_unit_of_50000"));
        }

        static List<Size> quick() {
            return List.of(new Size(12_000, 3_000, 40, 50), new Size(12_000, 3_000, 40, 15_000, "_one_unit_of_15000"));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(Machine machine) throws Exception {
        List<Figure> figures = new ArrayList<>();
        for (Size size : layouts) figures.addAll(run(machine, size));
        return figures;
    }

    private List<Figure> run(Machine machine, Size size) throws Exception {
        String suffix = size.suffix();
        int members = size.presses() + size.warmUp();
        int units = (members + size.membersPerUnit() - 1) / size.membersPerUnit();
        try (FakeBotApiServer botApi = new FakeBotApiServer(1_000, 20);
             BenchConvene bench = new BenchConvene(botApi, 1_000)) {
            Scenario.progress(NAME, "layout" + (suffix.isEmpty() ? " of cells" : suffix) + ": seeding " + units + " units with " + size.membersPerUnit() + " members each, a meeting and its posted agenda");
            Instant meetingsAt = Instant.now().plus(Duration.ofDays(3));
            List<ProvinceSeed.Group> groups = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).groups(units));
            List<ProvinceSeed.Member> people = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).members(groups, size.membersPerUnit()));
            List<Long> meetings = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).meetings(groups, u -> meetingsAt));
            bench.seed(jdbi -> {
                new ProvinceSeed(jdbi, Instant.now()).postedAgendas(groups, meetings);
                return null;
            });
            Map<Long, Long> meetingOfUnit = new HashMap<>();
            Map<Long, String> chatOfUnit = new HashMap<>();
            for (int i = 0; i < groups.size(); i++) {
                meetingOfUnit.put(groups.get(i).unitId(), meetings.get(i));
                chatOfUnit.put(groups.get(i).unitId(), groups.get(i).telegramChatId());
            }
            Convene convene = bench.start();
            String key = bench.jdbi().withHandle(h -> h.createQuery("SELECT value FROM settings WHERE name = 'button-key'").mapTo(String.class).one());
            ButtonIds buttons = new ButtonIds(HexFormat.of().parseHex(key));
            List<String> updates = new ArrayList<>(members);
            for (int i = 0; i < members; i++) {
                ProvinceSeed.Member m = people.get(i);
                updates.add(press(i, m, chatOfUnit.get(m.unitId()), buttons.of(ButtonIds.Action.RECEIVED, meetingOfUnit.get(m.unitId()))));
            }
            WebhookPusher telegram = new WebhookPusher(convene.publicUrl() + "/webhooks/telegram", botApi.webhookSecret(), size.connections());
            Scenario.progress(NAME, "warming up with " + size.warmUp() + " presses");
            telegram.push(size.warmUp(), i -> updates.get(size.presses() + i));
            Scenario.progress(NAME, size.presses() + " presses from " + size.connections() + " connections");
            long cpuBefore = processCpuNanos();
            WebhookPusher.Run run = telegram.push(size.presses(), updates::get);
            // how busy the machine's cores were meanwhile (this process: Convene, the fake Bot API and Telegram's side)
            long cpuNanos = processCpuNanos() - cpuBefore;
            double cpuShare = cpuNanos / 1e9 / run.seconds() / machine.cores();
            long committed = bench.jdbi().withHandle(h -> ProvinceSeed.count(h, "SELECT COUNT(*) FROM responses WHERE person_id <= "
                    + people.get(size.presses() - 1).personId()));
            double perSecond = committed / run.seconds();
            Scenario.progress(NAME, String.format("%d committed in %.2f s (%d refused); p50 %.1f ms, p99 %.1f ms; %d tally edits; cores %.0f%% busy, %.2f ms of CPU an ack",
                    committed, run.seconds(), run.failed(), run.latencies().percentileMillis(50), run.latencies().percentileMillis(99),
                    botApi.counts().edits(), cpuShare * 100, cpuNanos / 1e6 / size.presses()));
            // the yardstick on the same server and connections: its cheapest request, as many times
            WebhookPusher.Run health = telegram.get(size.presses(), "/health");
            double healthPerSecond = health.ok() / health.seconds();
            Scenario.progress(NAME, String.format("GET /health: %.0f/s, p99 %.1f ms (%d refused)", healthPerSecond,
                    health.latencies().percentileMillis(99), health.failed()));
            Scenario.progress(NAME, "measuring SQLite's own rate for the same rows, a thousand acknowledgements to a transaction");
            double raw = RawAckInserts.acksPerSecond(bench.dataDir, units, size.membersPerUnit());
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(NAME, "acks_committed_per_second" + suffix, perSecond, "acks/s", raw, machine));
            figures.add(new Figure(NAME, "acks_committed_per_second_vs_cheapest_request" + suffix, perSecond, "acks/s", healthPerSecond, machine));
            figures.add(new Figure(NAME, "acks_committed_per_second_vs_goal" + suffix, perSecond, "acks/s", GOAL_PER_SECOND, machine));
            figures.add(new Figure(NAME, "ack_latency_p50" + suffix, run.latencies().percentileMillis(50), "ms", GOAL_P99_MILLIS, machine));
            figures.add(new Figure(NAME, "ack_latency_p99" + suffix, run.latencies().percentileMillis(99), "ms", GOAL_P99_MILLIS, machine));
            figures.add(new Figure(NAME, "ack_latency_p99_vs_cheapest_request" + suffix, run.latencies().percentileMillis(99), "ms",
                    health.latencies().percentileMillis(99), machine));
            figures.add(new Figure(NAME, "ack_latency_max" + suffix, run.latencies().maxMillis(), "ms", GOAL_P99_MILLIS, machine));
            figures.add(new Figure(NAME, "cheapest_request_per_second" + suffix, healthPerSecond, "requests/s", 0, machine));
            figures.add(new Figure(NAME, "cpu_busy_share" + suffix, cpuShare, "share of all cores", 1, machine));
            // every 2xx counted in the database afterwards: an answer given for a press that was not committed would show here
            figures.add(new Figure(NAME, "acks_lost_or_refused" + suffix, size.presses() - committed + run.failed(), "acks", 0, machine));
            figures.add(new Figure(NAME, "acks_answered_but_not_committed" + suffix, Math.max(0, run.ok() - committed), "acks", 0, machine));
            return figures;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A callback_query update as Telegram sends it: the member pressed a button of the agenda (message 1) in their group. */
    private static String press(int i, ProvinceSeed.Member m, String chatId, String data) {
        return "{\"update_id\":" + (100_000_000 + i) + ",\"callback_query\":{\"id\":\"" + (4_382_000_000_000L + i)
                + "\",\"from\":{\"id\":" + m.telegramUserId() + ",\"is_bot\":false,\"first_name\":\"Đảng viên\",\"language_code\":\"vi\"},"
                + "\"chat_instance\":\"-845621934770" + m.unitId() + "\",\"data\":\"" + data + "\","
                + "\"message\":{\"message_id\":1,\"date\":" + (System.currentTimeMillis() / 1000) + ",\"chat\":{\"id\":" + chatId
                + ",\"type\":\"supergroup\",\"title\":\"Chi bộ\"},\"from\":{\"id\":" + FakeBotApiServer.BOT_ID
                + ",\"is_bot\":true,\"first_name\":\"Convene\"},\"text\":\"Sinh hoạt chi bộ\"}}}";
    }
}
