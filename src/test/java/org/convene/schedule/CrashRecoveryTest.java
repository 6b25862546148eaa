package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convene.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a wave: the service runs as a separate process, is killed at a chosen and at
 * a random point, restarted, and the chats are counted. Every chat gets its agenda; only messages in
 * flight at a kill may arrive twice.
 */
class CrashRecoveryTest {
    private static final String TOKEN = "crash-test-admin";
    private static final int CHATS = 200;

    @TempDir
    Path dir;
    Process process;
    Http api;

    @AfterEach
    void stop() {
        if (process != null) process.destroyForcibly();
    }

    @Test
    void a_wave_killed_twice_reaches_every_chat_and_doubles_at_most_the_messages_in_flight() throws Exception {
        int port = freePort();
        api = new Http("http://localhost:" + port, TOKEN);
        start(port);
        long unit = api.post("/api/v1/units", Map.of("name", "Huyện uỷ")).body().get("id").asLong();
        for (int i = 0; i < CHATS; i++) {
            assertThat(api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "local", "chatId", "g" + i)).status()).isEqualTo(201);
        }
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long meeting = api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Hội nghị", "startsAt", start.toString(),
                "reminders", List.of("PT3H"))).body().get("id").asLong();

        await("a chosen point: 50 sent", () -> sent(meeting) >= 50);
        kill();

        start(port);
        int afterFirstKill = sent(meeting);
        assertThat(afterFirstKill).as("the first kill came mid-wave").isLessThan(CHATS - 50);
        int randomPoint = afterFirstKill + 10 + new Random().nextInt(CHATS - afterFirstKill - 40);
        await("a random point: " + randomPoint + " sent", () -> sent(meeting) >= randomPoint);
        kill();

        start(port);
        await("every chat reached", () -> sent(meeting) == CHATS);

        int duplicates = 0;
        for (int i = 0; i < CHATS; i++) {
            int got = api.get("/api/v1/local/chats/g" + i + "/messages").body().size();
            assertThat(got).as("chat g" + i).isGreaterThanOrEqualTo(1);
            duplicates += got - 1;
        }
        assertThat(duplicates).as("at most the one message in flight at each of the two kills").isLessThanOrEqualTo(2);
        JsonNode reminders = api.get("/api/v1/meetings/" + meeting).body().get("reminders");
        assertThat(reminders.get(0).get("state").asText()).isEqualTo("fired");
        assertThat(api.get("/api/v1/meetings/" + meeting + "/deliveries").body()).hasSize(CHATS);
    }

    private void start(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.convene.app.Main", "serve");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CONVENE_"));
        env.putAll(new HashMap<>(Map.of(
                "CONVENE_DATA_DIR", dir.toString(),
                "CONVENE_HTTP_PORT", String.valueOf(port),
                "CONVENE_ADMIN_TOKEN", TOKEN,
                "CONVENE_LOCAL_RATE_PER_SECOND", "20",
                "CONVENE_REMINDERS_QUIET_HOURS", "off")));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("service.log").toFile()));
        process = pb.start();
        await("service healthy on port " + port, () -> {
            if (!process.isAlive()) throw new AssertionError("service died: " + log());
            try {
                return api.as(null).get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
        process.waitFor();
    }

    private int sent(long meeting) {
        int n = 0;
        for (JsonNode d : api.get("/api/v1/meetings/" + meeting + "/deliveries").body()) if (d.get("state").asText().equals("sent")) n++;
        return n;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("service.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
