package org.convene.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convene.app.Convene;
import org.convene.meeting.MaterialStore;
import org.convene.schedule.Reminder;

/**
 * A province's evening wave: every unit's Telegram group gets its meeting's agenda and two documents, all
 * due at one instant, through the real Telegram client against the fake Bot API at the paid-broadcast
 * rate. Measures how close the wave runs to the fake's limit without a 429, that each document is
 * uploaded once and then sent by file id, and that pre-roll finishes the wave before its due instant.
 */
record FanoutScenario(Size size) implements Scenario {
    static final String NAME = "fanout";

    /**
     * @param groups units, each with one group; @param perSecond the fake's rate for the whole bot (and Convene's
     * declared one); @param lead the time left for setting the trigger before the wave must start;
     * @param farGroups a second, smaller wave (0 for none) to a Bot API {@code roundTrip} away, as the real one is;
     * @param freeGroups a third wave (0 for none) at the free rate of 30 msg/s, the Bot API {@code roundTrip} away too
     */
    record Size(int groups, double perSecond, Duration lead, int farGroups, Duration roundTrip, int freeGroups) {
        static final double FREE_RATE = 30;

        static Size full() {
            return new Size(4_800, 1_000, Duration.ofSeconds(3), 1_600, Duration.ofMillis(150), 300);
        }

        static Size quick() {
            return new Size(1_200, 1_000, Duration.ofSeconds(3), 600, Duration.ofMillis(150), 100);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(Machine machine) throws Exception {
        // a first, smaller wave, not measured: the measured one ran first in a JVM just started, and its first seconds
        // measured the JIT compiling the firing and the sending (200–500 msg/s, against 980 in the same wave warm)
        Scenario.progress(NAME, "warming up (not measured)");
        wave(machine, Math.max(1, size.groups() / 8), size.perSecond(), Duration.ZERO, "_warm_up");
        List<Figure> figures = new ArrayList<>(wave(machine, size.groups(), size.perSecond(), Duration.ZERO, ""));
        if (size.farGroups() > 0) {
            // the same at a real distance: the rate must hold with a round trip's worth of sends in flight
            List<Figure> far = wave(machine, size.farGroups(), size.perSecond(), size.roundTrip(), "_at_" + size.roundTrip().toMillis() + "ms_rtt");
            far.stream().filter(f -> f.metric().startsWith("send_rate_sustained") || f.metric().startsWith("http_429")).forEach(figures::add);
        }
        if (size.freeGroups() > 0) {
            // an ordinary bot at the free rate, as far away: a long wave where a saved burst or a late pre-roll shows at once
            List<Figure> free = wave(machine, size.freeGroups(), Size.FREE_RATE, size.roundTrip(), "_at_30_per_s");
            free.stream().filter(f -> f.metric().startsWith("send_rate_sustained") || f.metric().startsWith("http_429")
                    || f.metric().startsWith("finished_before_due") || f.metric().startsWith("lead_before_due")
                    || f.metric().startsWith("messages_sent")).forEach(figures::add);
        }
        return figures;
    }

    /** One wave to {@code groupCount} groups at {@code perSecond}; metrics get {@code suffix}. */
    private List<Figure> wave(Machine machine, int groupCount, double perSecond, Duration roundTrip, String suffix) throws Exception {
        Scenario.progress(NAME, groupCount + " groups at " + perSecond + " msg/s" + (roundTrip.isZero() ? "" : ", the Bot API " + roundTrip.toMillis() + " ms away"));
        try (FakeBotApiServer botApi = new FakeBotApiServer(perSecond, 20, roundTrip);
             BenchConvene bench = new BenchConvene(botApi, perSecond)) {
            Scenario.progress(NAME, "seeding " + groupCount + " units with a Telegram group, a meeting and two documents each");
            Instant meetingsAt = Instant.now().plus(Duration.ofHours(3));
            List<ProvinceSeed.Group> groups = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).groups(groupCount));
            List<Long> meetings = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).meetings(groups, u -> meetingsAt));
            List<ProvinceSeed.Document> documents = ProvinceSeed.documents(new MaterialStore(bench.dataDir));
            bench.seed(jdbi -> {
                new ProvinceSeed(jdbi, Instant.now()).attach(meetings, documents);
                return null;
            });
            Convene convene = bench.start();
            long messages = (long) groupCount * (1 + documents.size());
            // the wave is due a little after the time it needs at the rate, so pre-roll has to start it before we are ready to watch
            // at Convene's pace: the rate in every 1.03 s (its window's margin for the network's jitter)
            Duration waveTime = Duration.ofMillis((long) Math.ceil(messages / perSecond * 1030));
            // Convene's pre-roll is the wave time plus a tenth plus up to 2 s; the lead leaves time to set the trigger
            Instant due = Instant.now().plus(waveTime.multipliedBy(11).dividedBy(10)).plus(Duration.ofSeconds(2)).plus(size.lead());
            bench.seed(jdbi -> {
                new ProvinceSeed(jdbi, Instant.now()).reminders(meetings, Reminder.AGENDA, m -> due);
                return null;
            });
            convene.services().triggers().ensure(Set.of(due));
            Scenario.progress(NAME, messages + " messages due at " + due + " (" + waveTime.toMillis() + " ms of sending at "
                    + perSecond + "/s); waiting for the wave");
            Instant deadline = due.plus(waveTime).plus(Duration.ofSeconds(60));
            long sent = 0;
            StringBuilder timeline = new StringBuilder();
            long lastAccepted = 0;
            int tick = 0;
            while (Instant.now().isBefore(deadline)) {
                sent = bench.jdbi().withHandle(h -> ProvinceSeed.count(h, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"));
                if (sent >= messages) break;
                Thread.sleep(100);
                if (++tick % 10 == 0) {
                    long accepted = botApi.counts().accepted();
                    if (accepted > 0) timeline.append(accepted - lastAccepted).append(' ');
                    lastAccepted = accepted;
                }
            }
            Scenario.progress(NAME, "messages accepted by the fake, per second: " + timeline);
            FakeBotApiServer.Counts c = botApi.counts();
            long[] firedSpan = bench.jdbi().withHandle(h -> h.createQuery("SELECT MIN(created_at), MAX(created_at), COUNT(DISTINCT reminder_id) FROM deliveries WHERE reminder_id IS NOT NULL")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
            double firingSeconds = Math.max(1e-3, (firedSpan[1] - firedSpan[0]) / 1000.0);
            Scenario.progress(NAME, String.format("reminders fired from %.2f s to %.2f s before the due instant (pre-roll %.2f s)",
                    (due.toEpochMilli() - firedSpan[0]) / 1000.0, (due.toEpochMilli() - firedSpan[1]) / 1000.0,
                    convene.services().firing().prerolls(Set.of(due)).getOrDefault(due, Duration.ZERO).toMillis() / 1000.0));
            double span = Math.max(1e-3, (c.lastAcceptedNanos() - c.firstAcceptedNanos()) / 1e9);
            double sustained = botApi.sustainedRate(0.1, 0.9);
            Instant lastAcceptedAt = Instant.now().minusNanos(System.nanoTime() - c.lastAcceptedNanos());
            double lead = Duration.between(lastAcceptedAt, due).toMillis() / 1000.0;
            Scenario.progress(NAME, String.format("sent %d of %d in %.2f s; %d uploads, %d by file id, %d × 429 (%s)", sent, messages, span,
                    c.uploads(), c.sentByFileId(), c.tooManyRequests(), botApi.refusals()));
            Scenario.progress(NAME, "most messages in any one second: " + botApi.mostInAnySecond());
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(NAME, "messages_sent" + suffix, sent, "messages", messages, machine));
            // the rate between the 10th and the 90th percentile of the wave: the steady pace, not the first burst
            figures.add(new Figure(NAME, "send_rate_sustained" + suffix, sustained, "msg/s", perSecond, machine));
            // first to last message against the time the fake's rate needs for them all (ratio ≥ 1; 1 is flat out)
            figures.add(new Figure(NAME, "wave_duration" + suffix, span, "s", messages / perSecond, machine));
            // the wave's reminders become outbox rows while the first ones are sent; this must outpace the send rate
            figures.add(new Figure(NAME, "reminders_fired_per_second" + suffix, firedSpan[2] / firingSeconds, "reminders/s",
                    perSecond / (1 + documents.size()), machine));
            figures.add(new Figure(NAME, "http_429_received" + suffix, c.tooManyRequests(), "responses", 0, machine));
            figures.add(new Figure(NAME, "document_uploads" + suffix, c.uploads(), "uploads", documents.size(), machine));
            figures.add(new Figure(NAME, "documents_sent_by_file_id" + suffix, c.sentByFileId(), "messages",
                    (long) groupCount * documents.size() - documents.size(), machine));
            figures.add(new Figure(NAME, "documents_before_their_agenda" + suffix, c.documentsBeforeText(), "messages", 0, machine));
            figures.add(new Figure(NAME, "finished_before_due" + suffix, lead >= 0 && sent >= messages ? 1 : 0, "bool", 1, machine));
            figures.add(new Figure(NAME, "lead_before_due" + suffix, lead, "s", 0, machine));
            return figures;
        }
    }
}
