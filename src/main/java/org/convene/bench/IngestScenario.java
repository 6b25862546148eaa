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
 * takes the same rows in batches on this machine, measured in the same run.
 */
record IngestScenario(Size size) implements Scenario {
    static final String NAME = "ingest";

    /** @param presses measured presses (one member each); @param warmUp presses before (other members), not measured */
    record Size(int presses, int warmUp, int connections, int membersPerUnit) {
        static Size full() {
            return new Size(60_000, 6_000, 40, 50);
        }

        static Size quick() {
            return new Size(12_000, 3_000, 40, 50);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(Machine machine) throws Exception {
        int members = size.presses() + size.warmUp();
        int units = (members + size.membersPerUnit() - 1) / size.membersPerUnit();
        try (FakeBotApiServer botApi = new FakeBotApiServer(1_000, 20);
             BenchConvene bench = new BenchConvene(botApi, 1_000)) {
            Scenario.progress(NAME, "seeding " + units + " units with " + size.membersPerUnit() + " members each, a meeting and its posted agenda");
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
            Scenario.progress(NAME, "measuring SQLite's own rate for the same rows, a thousand acknowledgements to a transaction");
            double raw = RawAckInserts.acksPerSecond(bench.dataDir, units, size.membersPerUnit());
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(NAME, "acks_committed_per_second", perSecond, "acks/s", raw, machine));
            figures.add(new Figure(NAME, "acks_committed_per_second_vs_goal", perSecond, "acks/s", 2_000, machine));
            figures.add(new Figure(NAME, "ack_latency_p50", run.latencies().percentileMillis(50), "ms", 50, machine));
            figures.add(new Figure(NAME, "ack_latency_p99", run.latencies().percentileMillis(99), "ms", 50, machine));
            figures.add(new Figure(NAME, "ack_latency_max", run.latencies().maxMillis(), "ms", 50, machine));
            figures.add(new Figure(NAME, "cpu_busy_share", cpuShare, "share of all cores", 1, machine));
            figures.add(new Figure(NAME, "acks_lost_or_refused", size.presses() - committed + run.failed(), "acks", 0, machine));
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
