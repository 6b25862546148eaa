package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.convene.chat.telegram.FakeBotApi;
import org.convene.support.ServiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while members press "Received" under a posted agenda: {@code convene serve} runs as a process of
 * its own in webhook mode, the fake Bot API pushes the presses to {@code /webhooks/telegram} from several
 * connections at once as Telegram does, and the process is killed mid-stream. What is on disk then must
 * hold every press that was answered 2xx (Telegram drops an update once it got one); after a restart,
 * Telegram delivering everything again (the unanswered, and answered ones whose answer it may have lost)
 * stores each member's press exactly once. Nothing here is timed: the waits are bounds, not measurements.
 */
class PressesAcrossKillTest {
    private static final String TOKEN = "press-crash-admin-long-enough-to-pass";
    private static final String GROUP = "-1001234567890";
    private static final int MEMBERS = 300;
    /** The kill comes as this many presses have been answered, while the rest are still being sent. */
    private static final int ANSWERED_BEFORE_KILL = 75;
    private static final int CONNECTIONS = 8;
    private static final long FIRST_USER = 5_600_000L;
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    final FakeBotApi telegram = new FakeBotApi();
    ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) service.close();
        telegram.close();
    }

    @Test
    void every_press_answered_2xx_before_a_kill_9_is_on_disk_and_redelivery_after_the_restart_stores_each_press_once() throws Exception {
        start();
        long unit = service.api.post("/api/v1/units", Map.of("name", "Chi bộ khu phố 3")).body().get("id").asLong();
        // in imports of 100 rows: each is answered well within the client's timeout on a loaded machine
        for (int from = 0; from < MEMBERS; from += 100) {
            StringBuilder roster = new StringBuilder("name,role,phone,telegramUserId\n");
            for (int i = from; i < Math.min(MEMBERS, from + 100); i++) {
                roster.append("Đảng viên ").append(i).append(",member,,").append(FIRST_USER + i).append('\n');
            }
            var imported = service.api.postRaw("/api/v1/units/" + unit + "/members/import", roster.toString(), "text/csv");
            assertThat(imported.body().get("created").asInt()).as(imported.text()).isEqualTo(Math.min(100, MEMBERS - from));
        }
        FakeBotApi.User secretary = new FakeBotApi.User(FIRST_USER, "Đảng viên 0", null);
        telegram.push(telegram.botAddedUpdate(GROUP, "Chi bộ khu phố 3"));
        String code = service.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        assertThat(telegram.push(telegram.textUpdate(GROUP, secretary, "/link " + code)).status()).isEqualTo(200);
        // due as soon as it is made: the meeting starts in 3 h and its agenda goes 3 h before
        OffsetDateTime startsAt = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long meeting = service.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Sinh hoạt chi bộ tháng 12",
                "startsAt", startsAt.toString(), "reminders", List.of(Map.of("offset", "PT3H", "kind", "agenda")))).body().get("id").asLong();
        await("the agenda with its buttons in the group", BOUND, () -> agenda() != null);
        FakeBotApi.Posted agenda = agenda();
        String received = agenda.buttonData().getFirst();
        assertThat(received).startsWith("r:" + meeting + ":a:");
        List<ObjectNode> presses = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            presses.add(telegram.pressUpdate(agenda, new FakeBotApi.User(FIRST_USER + i, "Đảng viên " + i, null), received));
        }

        Set<Long> answered = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
        // the connection that gets the 75th 2xx kills the service there and then, with the other connections' presses in flight
        List<Thread> connections = pushFromConnections(presses, answered, refusals, ANSWERED_BEFORE_KILL);
        for (Thread t : connections) t.join(BOUND.toMillis());
        assertThat(connections).noneMatch(Thread::isAlive);

        assertThat(refusals).as("answers other than 2xx before the kill").isEmpty();
        assertThat(answered.size()).as("the kill came mid-stream").isBetween(ANSWERED_BEFORE_KILL, MEMBERS - 1);
        Path db = dir.resolve("data").resolve("convene.db");
        Set<Long> onDisk = receivedBy(db, meeting);
        Set<Long> lost = new TreeSet<>(answered);
        lost.removeAll(onDisk);
        assertThat(lost).as("presses answered 2xx (of " + answered.size() + ") that are not on disk after the kill").isEmpty();
        assertThat(pressesStoredTwice(db, meeting)).as("after the kill").isEmpty();

        start();
        // Telegram delivers again what got no 2xx, and may deliver again what did (an answer lost on the way)
        Set<Long> again = ConcurrentHashMap.newKeySet();
        for (Thread t : pushFromConnections(presses, again, refusals, 0)) t.join(BOUND.toMillis());
        assertThat(refusals).as("answers other than 2xx after the restart").isEmpty();
        assertThat(again).as("every redelivered press answered 2xx").hasSize(MEMBERS);
        service.kill(); // read what is on disk, as after the first kill

        assertThat(receivedBy(db, meeting)).as("every member's press").hasSize(MEMBERS);
        assertThat(pressesStoredTwice(db, meeting)).as("one answer and one history row per member, whatever was delivered twice").isEmpty();
        assertThat(count(db, "SELECT COUNT(*) FROM response_history WHERE meeting_id = " + meeting)).isEqualTo(MEMBERS);
    }

    /**
     * Telegram's side: {@link #CONNECTIONS} connections, each pushing the next press as soon as the last was
     * answered. The one that gets the {@code killAt}th 2xx kills the service there and then (none when 0); a
     * connection stops at the first press that cannot reach the service.
     */
    private List<Thread> pushFromConnections(List<ObjectNode> presses, Set<Long> answered, Map<Integer, Integer> refusals, int killAt) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger twoHundreds = new AtomicInteger();
        List<Thread> connections = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            connections.add(Thread.ofPlatform().name("telegram-push-" + c).start(() -> {
                for (int i; (i = next.getAndIncrement()) < presses.size(); ) {
                    FakeBotApi.Pushed pushed;
                    try {
                        pushed = telegram.push(presses.get(i));
                    } catch (RuntimeException e) {
                        return; // the service is gone: Telegram would try this update again later
                    }
                    if (pushed.status() / 100 != 2) {
                        refusals.merge(pushed.status(), 1, Integer::sum);
                        continue;
                    }
                    answered.add(FIRST_USER + i);
                    if (twoHundreds.incrementAndGet() == killAt) service.kill();
                }
            }));
        }
        return connections;
    }

    private void start() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "CONVENE_DATA_DIR", dir.resolve("data").toString(),
                "CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN,
                "CONVENE_TELEGRAM_API_URL", telegram.url(),
                "CONVENE_TELEGRAM_MODE", "webhook",
                "CONVENE_PUBLIC_URL", "https://convene.example.org",
                "CONVENE_LOCAL_ENABLED", "false",
                "CONVENE_REMINDERS_QUIET_HOURS", "off"));
        service = ServiceProcess.start(0, TOKEN, settings, dir.resolve("service.log"));
        // Telegram pushes to the public address; here it reaches the process's port directly
        telegram.webhookTarget("http://localhost:" + service.port);
    }

    /** The agenda: the bot's message in the group that carries buttons. */
    private FakeBotApi.Posted agenda() {
        return telegram.messages(GROUP).stream().filter(m -> m.replyMarkup != null && !m.buttonData().isEmpty()).findFirst().orElse(null);
    }

    /** The Telegram user ids of the members whose "Received" the database holds for the meeting. */
    private static Set<Long> receivedBy(Path db, long meeting) throws SQLException {
        Set<Long> users = new TreeSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT i.user_id FROM responses r JOIN identities i ON i.person_id = r.person_id"
                     + " AND i.platform = 'telegram' WHERE r.meeting_id = " + meeting + " AND r.received_at IS NOT NULL")) {
            while (rs.next()) users.add(Long.parseLong(rs.getString(1)));
        }
        return users;
    }

    /** Members with more than one answer row or more than one history row for the meeting (one press each was sent). */
    private static List<String> pressesStoredTwice(Path db, long meeting) throws SQLException {
        List<String> twice = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             var rs = c.createStatement().executeQuery("SELECT 'answers', person_id, COUNT(*) FROM responses WHERE meeting_id = " + meeting
                     + " GROUP BY person_id HAVING COUNT(*) > 1 UNION ALL SELECT 'history', person_id, COUNT(*) FROM response_history"
                     + " WHERE meeting_id = " + meeting + " GROUP BY person_id HAVING COUNT(*) > 1")) {
            while (rs.next()) twice.add(rs.getString(1) + " of person " + rs.getLong(2) + ": " + rs.getLong(3));
        }
        return twice;
    }

    private static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); var rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
