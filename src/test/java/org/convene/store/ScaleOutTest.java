package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.support.Http;
import org.convene.support.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL, each a process of its own with its own Quartz: the API and replies work on
 * either, one node sends at a time (so the platform's rate holds for the service), and when the sending
 * node is killed mid-wave the other takes the sending over and finishes the wave.
 */
class ScaleOutTest {
    private static final String TOKEN = "scale-out-admin-long-enough-to-pass";
    private static final int CHATS = 80;
    static EmbeddedPostgres postgres;

    @TempDir
    Path dir;
    ServiceProcess first;
    ServiceProcess second;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
    }

    private ServiceProcess node(String name) {
        return ServiceProcess.start(0, TOKEN, Map.of(
                "CONVENE_DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                // the nodes share the data directory (materials), as they would a network volume
                "CONVENE_DATA_DIR", dir.toString(),
                "CONVENE_LOCAL_RATE_PER_SECOND", "20",
                "CONVENE_LIMITS_CHATS", "1000", // one unit stands for a wave of many chats
                "CONVENE_CLUSTER_LEASE_SECONDS", "3",
                "CONVENE_REMINDERS_QUIET_HOURS", "off"), dir.resolve(name + ".log"));
    }

    @Test
    void two_nodes_one_sending_and_the_other_finishing_the_wave_when_it_is_killed() {
        first = node("first");
        second = node("second");
        Http a = first.api;
        Http b = second.api;
        String firstNode = a.get("/api/v1/cluster").body().get("node").asText();
        String secondNode = b.get("/api/v1/cluster").body().get("node").asText();
        assertThat(firstNode).isNotEqualTo(secondNode);
        assertThat(a.get("/api/v1/cluster").body().get("sharedDatabase").asBoolean()).isTrue();

        // set up through one node, read through the other
        long unit = a.post("/api/v1/units", Map.of("name", "Đảng uỷ phường")).body().get("id").asLong();
        assertThat(b.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "localUserId", "u-lan")).status()).isEqualTo(201);
        for (int i = 0; i < CHATS; i++) {
            Http via = i % 2 == 0 ? a : b;
            assertThat(via.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "local", "chatId", "g" + i)).status()).isEqualTo(201);
        }
        assertThat(a.get("/api/v1/units/" + unit + "/chats").body()).hasSize(CHATS);

        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long meeting = b.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Hội nghị", "startsAt", start.toString(),
                "reminders", List.of("PT3H"))).body().get("id").asLong();

        await("the wave under way", () -> ServiceProcess.sent(a, meeting) >= 10);
        assertThat(holder(a)).as("both nodes see the same sender").isEqualTo(holder(b)).isEqualTo(firstNode);
        assertThat(gauge(first, "convene_dispatcher_sending")).isEqualTo(1);
        assertThat(gauge(second, "convene_dispatcher_sending")).isEqualTo(0);
        assertThat(gauge(second, "convene_reminder_lag_seconds_count")).as("the standby node sent nothing").isZero();

        first.kill();
        int atKill = ServiceProcess.sent(b, meeting);
        assertThat(atKill).as("killed mid-wave").isLessThan(CHATS);
        await("the second node takes the sending over", () -> secondNode.equals(holder(b)));
        await("every chat reached", () -> ServiceProcess.sent(b, meeting) == CHATS);
        assertThat(gauge(second, "convene_dispatcher_sending")).isEqualTo(1);
        assertThat(gauge(second, "convene_reminder_lag_seconds_count")).isPositive();

        int duplicates = ServiceProcess.duplicatesInLocalChats(b, "g", CHATS);
        assertThat(duplicates).as("only messages in flight at the kill go twice").isLessThanOrEqualTo(4);
        assertThat(b.get("/api/v1/meetings/" + meeting).body().at("/reminders/0/state").asText()).isEqualTo("fired");

        // a member's tap reaches the surviving node and is counted
        JsonNode agenda = b.get("/api/v1/local/chats/g0/messages").body().get(0);
        Http.Reply press = b.post("/api/v1/local/chats/g0/press", Map.of("messageId", agenda.get("messageId").asLong(),
                "buttonId", agenda.at("/buttons/0/id").asText(), "userId", "u-lan", "userName", "Lan"));
        assertThat(press.status()).isEqualTo(200);
        assertThat(b.get("/api/v1/meetings/" + meeting + "/responses").body().at("/summary/received").asInt()).isEqualTo(1);
    }

    private static String holder(Http api) {
        for (JsonNode lease : api.get("/api/v1/cluster").body().get("leases")) {
            if (lease.get("name").asText().equals("dispatcher")) return lease.get("holder").asText();
        }
        return null;
    }

    /** A sample's value from the node's Prometheus text. */
    private static double gauge(ServiceProcess node, String name) {
        String text = node.api.as(null).get("/metrics").text();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) throw new AssertionError(name + " not in /metrics: " + text.substring(0, Math.min(2000, text.length())));
        return Double.parseDouble(m.group(1));
    }
}
