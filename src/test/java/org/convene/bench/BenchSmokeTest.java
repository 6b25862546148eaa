package org.convene.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One short run of each benchmark at toy sizes: the JSON lines come out, complete and sane. The figures
 * themselves are measured by {@code ./convene bench}, not here.
 */
class BenchSmokeTest {
    static final Machine MACHINE = new Machine(2, 4096, "test JDK", "test CPU");
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every figure as the JSON line the command prints, read back, by metric. */
    private static Map<String, JsonNode> lines(String scenario, List<Figure> figures) throws Exception {
        assertThat(figures).isNotEmpty();
        for (Figure f : figures) {
            JsonNode line = JSON.readTree(f.toJson());
            assertThat(line.fieldNames()).toIterable().containsExactly("scenario", "metric", "value", "unit", "limit", "ratio", "machine");
            assertThat(line.get("scenario").asText()).isEqualTo(scenario);
            assertThat(line.get("value").isNumber()).as(f.metric()).isTrue();
            assertThat(Double.isFinite(line.get("value").asDouble())).as(f.metric()).isTrue();
            assertThat(line.at("/machine/cores").asInt()).isEqualTo(2);
            assertThat(line.get("ratio").isNull()).isEqualTo(f.limit() == 0);
        }
        return figures.stream().map(f -> {
            try {
                return JSON.readTree(f.toJson());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toMap(j -> j.get("metric").asText(), Function.identity()));
    }

    private static double value(Map<String, JsonNode> lines, String metric) {
        assertThat(lines).containsKey(metric);
        return lines.get(metric).get("value").asDouble();
    }

    @Test
    void fanout_sends_every_message_of_a_small_wave_without_a_429_uploading_each_document_once() throws Exception {
        Map<String, JsonNode> f = lines("fanout", new FanoutScenario(new FanoutScenario.Size(20, 200, Duration.ofSeconds(1), 0, Duration.ZERO, 0)).run(MACHINE));
        assertThat(value(f, "messages_sent")).isEqualTo(60);
        assertThat(value(f, "http_429_received")).isZero();
        assertThat(value(f, "document_uploads")).isEqualTo(2);
        assertThat(value(f, "documents_sent_by_file_id")).isEqualTo(38);
        assertThat(value(f, "documents_before_their_agenda")).isZero();
        assertThat(value(f, "send_rate_sustained")).isPositive();
        assertThat(f).containsKeys("wave_duration", "reminders_fired_per_second", "finished_before_due", "lead_before_due");
    }

    @Test
    void ingest_commits_every_press_and_times_them() throws Exception {
        Map<String, JsonNode> f = lines("ingest", new IngestScenario(new IngestScenario.Size(400, 100, 8, 20)).run(MACHINE));
        assertThat(value(f, "acks_lost_or_refused")).isZero();
        assertThat(value(f, "acks_committed_per_second")).isPositive();
        assertThat(f.get("acks_committed_per_second").get("limit").asDouble()).as("SQLite's own rate, measured").isPositive();
        assertThat(value(f, "ack_latency_p50")).isPositive().isLessThanOrEqualTo(value(f, "ack_latency_p99"));
        assertThat(value(f, "ack_latency_p99")).isLessThanOrEqualTo(value(f, "ack_latency_max"));
    }

    @Test
    void lag_sends_every_reminder_and_reports_its_lateness() throws Exception {
        Map<String, JsonNode> f = lines("lag", new LagScenario(new LagScenario.Size(60, Duration.ofSeconds(3), 3, Duration.ofSeconds(3))).run(MACHINE));
        assertThat(value(f, "reminders_sent")).isEqualTo(60);
        assertThat(value(f, "lag_p50")).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(value(f, "lag_p99"));
        assertThat(value(f, "lag_max")).isGreaterThanOrEqualTo(value(f, "lag_p99"));
    }

    @Test
    void memory_starts_a_node_of_its_own_and_reads_its_resident_memory() throws Exception {
        Map<String, JsonNode> f = lines("memory", new MemoryScenario(new MemoryScenario.Size(20, 200, 1_000, 1)).run(MACHINE));
        assertThat(value(f, "wave_sent")).isEqualTo(60);
        assertThat(value(f, "resident_memory_after_wave")).isBetween(10.0, 4096.0);
        assertThat(value(f, "heap_used_after_wave")).isPositive();
        assertThat(value(f, "startup_to_healthy")).isBetween(0.05, 120.0);
    }

    @Test
    void a_figure_without_a_limit_has_no_ratio() throws Exception {
        JsonNode none = JSON.readTree(new Figure("s", "m", 3, "n", 0, MACHINE).toJson());
        JsonNode half = JSON.readTree(new Figure("s", "m", 1, "n", 2, MACHINE).toJson());
        assertThat(none.get("ratio").isNull()).isTrue();
        assertThat(half.get("ratio").asDouble()).isEqualTo(0.5);
    }
}
