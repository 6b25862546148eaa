package org.convene.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convene bench fanout|ingest|lag|memory|all [--quick]}: runs a real Convene in this process
 * against a fake Bot API over real HTTP and prints one JSON line per figure on stdout (progress goes to
 * stderr). {@code --quick} scales every scenario down to finish in minutes on a small machine.
 */
@Command(name = "bench", description = "Benchmarks against the physical limits; one JSON line per figure.")
public final class Bench implements Callable<Integer> {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "fanout, ingest, lag, memory or all")
    String scenario;

    @Option(names = "--quick", description = "smaller sizes, for a run of a few minutes")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        // a line per fired reminder is right for an operator, noise around a benchmark's figures;
        // set before the first logger exists, and only when the operator did not choose a level
        if (System.getProperty(LOG_LEVEL) == null) System.setProperty(LOG_LEVEL, "warn");
        List<Scenario> scenarios = scenarios(scenario, quick);
        Machine machine = Machine.current();
        List<Figure> all = new ArrayList<>();
        for (Scenario s : scenarios) {
            long started = System.nanoTime();
            Scenario.progress(s.name(), "starting" + (quick ? " (quick)" : ""));
            List<Figure> figures = s.run(machine);
            figures.forEach(f -> System.out.println(f.toJson()));
            System.out.flush();
            all.addAll(figures);
            Scenario.progress(s.name(), String.format("done in %.1f s", (System.nanoTime() - started) / 1e9));
        }
        return 0;
    }

    private static Scenario fanout(boolean quick) {
        return new FanoutScenario(quick ? FanoutScenario.Size.quick() : FanoutScenario.Size.full());
    }

    private static Scenario ingest(boolean quick) {
        return new IngestScenario(quick ? IngestScenario.Size.quick() : IngestScenario.Size.full());
    }

    private static Scenario lag(boolean quick) {
        return new LagScenario(quick ? LagScenario.Size.quick() : LagScenario.Size.full());
    }

    private static Scenario memory(boolean quick) {
        return new MemoryScenario(quick ? MemoryScenario.Size.quick() : MemoryScenario.Size.full());
    }

    static List<Scenario> scenarios(String name, boolean quick) {
        return switch (name) {
            case "fanout" -> List.of(fanout(quick));
            case "ingest" -> List.of(ingest(quick));
            case "lag" -> List.of(lag(quick));
            case "memory" -> List.of(memory(quick));
            case "all" -> List.of(fanout(quick), ingest(quick), lag(quick), memory(quick));
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "': use fanout, ingest, lag, memory or all");
        };
    }
}
