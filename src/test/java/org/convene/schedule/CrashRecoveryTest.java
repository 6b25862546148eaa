package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convene.support.Http;
import org.convene.support.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a wave: the service runs as a separate process, is killed at a chosen and at
 * a random point, restarted, and the chats are counted. Every chat gets its agenda; only messages in
 * flight at a kill may arrive twice.
 */
class CrashRecoveryTest {
    private static final String TOKEN = "crash-test-admin-long-enough-to-pass";
    private static final int CHATS = 200;

    @TempDir
    Path dir;
    ServiceProcess service;
    Http api;

    @AfterEach
    void stop() {
        if (service != null) service.close();
    }

    @Test
    void a_wave_killed_twice_reaches_every_chat_and_doubles_at_most_the_messages_in_flight() throws Exception {
        start(0);
        int port = service.port;
        api = service.api;
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

        int duplicates = ServiceProcess.duplicatesInLocalChats(api, "g", CHATS);
        assertThat(duplicates).as("at most the one message in flight at each of the two kills").isLessThanOrEqualTo(2);
        JsonNode reminders = api.get("/api/v1/meetings/" + meeting).body().get("reminders");
        assertThat(reminders.get(0).get("state").asText()).isEqualTo("fired");
        assertThat(api.get("/api/v1/meetings/" + meeting + "/deliveries").body()).hasSize(CHATS);
    }

    private void start(int port) {
        service = ServiceProcess.start(port, TOKEN, Map.of(
                "CONVENE_DATA_DIR", dir.toString(),
                "CONVENE_LOCAL_RATE_PER_SECOND", "20",
                "CONVENE_LIMITS_CHATS", "1000", // one unit stands for a wave of many chats
                "CONVENE_REMINDERS_QUIET_HOURS", "off"), dir.resolve("service.log"));
    }

    private void kill() {
        service.kill();
    }

    private int sent(long meeting) {
        return ServiceProcess.sent(api, meeting);
    }
}
