package org.convene.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.convene.app.ConfigLoader;
import org.convene.app.Convene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The memory scenario's Convene, in a JVM of its own so that its resident memory is its own: starts on a
 * prepared province, waits for the wave it was started for, then collects garbage and prints one JSON
 * line with its resident set (VmRSS of /proc/self/status) and its heap. Started by {@code bench memory}.
 */
@Command(name = "bench-node", hidden = true, description = "The memory benchmark's Convene (started by bench memory).")
public final class ProvinceNode implements Callable<Integer> {
    @Option(names = "--data", required = true)
    Path dataDir;

    @Option(names = "--bot-api", required = true)
    String botApiUrl;

    @Option(names = "--rate", required = true)
    double rate;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--messages", description = "messages in the wave to wait for (without: start, then stop when told on stdin)")
    Long messages;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = BenchConvene.environment(dataDir, botApiUrl, rate);
        env.put("CONVENE_HTTP_PORT", String.valueOf(port));
        try (Convene convene = Convene.start(ConfigLoader.load(null, false, env), Clock.systemUTC())) {
            if (messages == null) {
                // a start-up only: healthy until the benchmark has seen it, then a clean stop
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                return 0;
            }
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            long sent = 0;
            while (Instant.now().isBefore(deadline)) {
                sent = convene.services().database().jdbi().withHandle(h -> ProvinceSeed.count(h,
                        "SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND reminder_id IS NOT NULL"));
                if (sent >= messages) break;
                Thread.sleep(200);
            }
            // what stays after the wave, not the wave's garbage
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            if (System.getenv("CONVENE_BENCH_NODE_NMT") != null) {
                // the node's native memory by category, for a profile of what is resident besides the heap
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(ProcessHandle.current().pid()), "VM.native_memory", "summary").redirectOutput(ProcessBuilder.Redirect.to(
                        Path.of(System.getenv("CONVENE_BENCH_NODE_NMT")).toFile())).start();
                jcmd.waitFor();
            }
            long rssKb = Long.parseLong(Machine.procLine(Path.of("/proc/self/status"), "VmRSS").orElse("0 kB").replaceAll("[^0-9]", ""));
            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            System.out.println("{\"sent\":" + sent + ",\"rssMb\":" + rssKb / 1024.0 + ",\"heapUsedMb\":" + heapUsed / 1048576.0
                    + ",\"heapCommittedMb\":" + heapCommitted / 1048576.0 + "}");
            System.out.flush();
        }
        return 0;
    }
}
