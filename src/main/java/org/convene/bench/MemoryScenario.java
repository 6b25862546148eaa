package org.convene.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.meeting.MaterialStore;
import org.convene.schedule.Reminder;
import org.convene.store.Database;

/**
 * A province on one node: 4,800 units, 250,000 members who have all answered, 4,800 meetings with their
 * documents, more reminders planned. A fresh JVM starts Convene on it (the time until GET /health
 * answers 200 is the start-up figure), sends the evening's wave of agendas to every group through the
 * fake Bot API, and reports its resident memory once the wave is out and garbage collected.
 */
record MemoryScenario(Size size) implements Scenario {
    static final String NAME = "memory";
    /** @param timedStarts fresh JVMs timed to healthy (the last sends the wave), after one that writes the class-data archive */
    record Size(int units, int members, double perSecond, int timedStarts) {
        static Size full() {
            return new Size(4_800, 250_000, 1_000, 3);
        }

        static Size quick() {
            return new Size(1_200, 62_500, 1_000, 3);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(Machine machine) throws Exception {
        try (FakeBotApiServer botApi = new FakeBotApiServer(size.perSecond(), 20);
             BenchConvene bench = new BenchConvene(botApi, size.perSecond())) {
            int perUnit = (size.members() + size.units() - 1) / size.units();
            Scenario.progress(NAME, "seeding a province: " + size.units() + " units, " + (long) perUnit * size.units()
                    + " members with their answers, a meeting with two documents in each unit");
            List<ProvinceSeed.Group> groups = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).groups(size.units()));
            List<ProvinceSeed.Member> members = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).members(groups, perUnit));
            Instant evening = Instant.now().plus(Duration.ofHours(2)).plus(Duration.ofMinutes(1));
            List<Long> meetings = bench.seed(jdbi -> new ProvinceSeed(jdbi, Instant.now()).meetings(groups, u -> evening));
            List<ProvinceSeed.Document> documents = ProvinceSeed.documents(new MaterialStore(bench.dataDir));
            Map<Long, Long> meetingOfUnit = new HashMap<>();
            for (int i = 0; i < groups.size(); i++) meetingOfUnit.put(groups.get(i).unitId(), meetings.get(i));
            long messages = (long) size.units() * (1 + documents.size());
            Duration waveTime = Duration.ofMillis((long) Math.ceil(messages / size.perSecond() * 1000));
            // due once the start-ups before the last are over (they must not send it): pre-roll (the wave's time, a tenth
            // and 2 s) starts it then; a JVM's start and stop take a few seconds here
            Instant due = Instant.now().plus(waveTime.multipliedBy(11).dividedBy(10)).plus(Duration.ofSeconds(5L + 8L * size.timedStarts()));
            bench.seed(jdbi -> {
                ProvinceSeed seed = new ProvinceSeed(jdbi, Instant.now());
                seed.attach(meetings, documents);
                seed.answers(members, meetingOfUnit);
                seed.reminders(meetings, Reminder.AGENDA, m -> due);
                // the rest of each meeting's plan: a reminder the hour before
                seed.reminders(meetings, Reminder.REMINDER, m -> evening.minus(Duration.ofHours(1)));
                return null;
            });
            long dbBytes = Files.size(bench.dataDir.resolve("convene.db"));
            Path archive = bench.dataDir.resolve("convene.jsa");
            List<String> options = nodeOptions(archive);
            Scenario.progress(NAME, String.format("database %.0f MB; starting fresh JVMs on it (%s)", dbBytes / 1048576.0,
                    String.join(" ", options)));
            // a first start writes the class-data archive, as the launcher's first start does in production; three more are timed
            if (size.timedStarts() > 1) startAndStop(options, bench.dataDir, botApi.url());
            List<Double> startups = new ArrayList<>();
            for (int i = 1; i < size.timedStarts(); i++) startups.add(startAndStop(options, bench.dataDir, botApi.url()));
            int port = freePort();
            long launched = System.nanoTime();
            Process node = launch(options, bench.dataDir, botApi.url(), port, messages);
            startups.add(awaitHealthy(port, node, launched));
            startups.sort(Double::compare);
            double startupSeconds = startups.get(startups.size() / 2);
            Scenario.progress(NAME, String.format("healthy after %s s (median %.2f s); waiting for the wave of %d messages", startups,
                    startupSeconds, messages));
            String report;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                report = out.lines().filter(l -> l.startsWith("{\"sent\"")).findFirst().orElse(null);
            }
            if (!node.waitFor(60, TimeUnit.SECONDS)) node.destroy();
            if (report == null) throw new IllegalStateException("the node printed no report (exit " + node.exitValue() + ")");
            JsonNode r = new ObjectMapper().readTree(report);
            Scenario.progress(NAME, "node: " + report);
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(NAME, "wave_sent", r.get("sent").asDouble(), "messages", messages, machine));
            figures.add(new Figure(NAME, "resident_memory_after_wave", r.get("rssMb").asDouble(), "MB", 256, machine));
            figures.add(new Figure(NAME, "heap_used_after_wave", r.get("heapUsedMb").asDouble(), "MB", 256, machine));
            figures.add(new Figure(NAME, "startup_to_healthy", startupSeconds, "s", 3, machine));
            return figures;
        }
    }

    /**
     * What the launcher runs a node with (a class-data archive: the classes of the last start are mapped
     * in, not loaded and verified again), or CONVENE_BENCH_NODE_OPTS to measure others (empty: the JVM's defaults).
     */
    private static List<String> nodeOptions(Path archive) {
        String chosen = System.getenv("CONVENE_BENCH_NODE_OPTS");
        if (chosen == null) return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        return chosen.isBlank() ? List.of() : List.of(chosen.strip().split("\\s+"));
    }

    private static Process launch(List<String> options, Path dataDir, String botApiUrl, int port, Long messages) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(options);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.convene.app.Main", "bench-node",
                "--data", dataDir.toString(), "--bot-api", botApiUrl, "--rate", "1000.0", "--port", String.valueOf(port)));
        if (messages != null) command.addAll(List.of("--messages", String.valueOf(messages)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** A start-up only: seconds until healthy, then a clean stop (which also writes the class-data archive). */
    private static double startAndStop(List<String> options, Path dataDir, String botApiUrl) throws IOException, InterruptedException {
        int port = freePort();
        long launched = System.nanoTime();
        Process node = launch(options, dataDir, botApiUrl, port, null);
        double seconds = awaitHealthy(port, node, launched);
        node.getOutputStream().write("stop\n".getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        if (!node.waitFor(60, TimeUnit.SECONDS)) node.destroy();
        return seconds;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** Seconds from the JVM's launch until GET /health answers 200. */
    private static double awaitHealthy(int port, Process node, long launched) throws InterruptedException {
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        long deadline = launched + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) throw new IllegalStateException("the node stopped during start-up (exit " + node.exitValue() + ")");
            try {
                HttpURLConnection c = (HttpURLConnection) health.toURL().openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(1000);
                if (c.getResponseCode() == 200) return (System.nanoTime() - launched) / 1e9;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the node was not healthy within two minutes");
    }
}
