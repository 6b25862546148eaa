package org.convene.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.convene.app.Config;
import org.convene.app.ConfigLoader;
import org.convene.app.Convene;

/**
 * A real Convene on a random port, a real SQLite file in a temporary folder, the local platform, and a
 * clock the test moves. Quiet hours are off unless a test turns them on.
 */
public final class TestConvene implements AutoCloseable {
    public static final String ADMIN = "test-admin-token-long-enough-to-pass";
    /** 08:00 in Viet Nam on 1 December 2026. */
    public static final Instant START = Instant.parse("2026-12-01T01:00:00Z");

    public final MutableClock clock;
    public final Path dataDir;
    public final Convene convene;
    public final Http api;
    public final Http anonymous;

    private TestConvene(MutableClock clock, Path dataDir, Config config) {
        this.clock = clock;
        this.dataDir = dataDir;
        this.convene = Convene.start(config, clock);
        this.api = new Http("http://localhost:" + convene.port(), ADMIN);
        this.anonymous = api.as(null);
    }

    public static TestConvene start() {
        return start(Map.of());
    }

    /** @param env extra CONVENE_* settings */
    public static TestConvene start(Map<String, String> env) {
        return start(env, c -> c);
    }

    public static TestConvene start(Map<String, String> env, UnaryOperator<Config> adjust) {
        try {
            Path dir = Files.createTempDirectory("convene-test-");
            return startIn(dir, new MutableClock(START), env, adjust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on an existing data directory (a restart) with the given clock. */
    public static TestConvene startIn(Path dir, MutableClock clock, Map<String, String> env, UnaryOperator<Config> adjust) {
        Map<String, String> all = new HashMap<>();
        all.put("CONVENE_DATA_DIR", dir.toString());
        all.put("CONVENE_HTTP_PORT", "0");
        all.put("CONVENE_ADMIN_TOKEN", ADMIN);
        all.put("CONVENE_REMINDERS_QUIET_HOURS", "off");
        all.put("CONVENE_LOCAL_ENABLED", "true");
        all.put("CONVENE_TEMPLATES_DIR", dir.resolve("no-templates").toString());
        all.putAll(env);
        Config config = ConfigLoader.load(null, false, all);
        return new TestConvene(clock, dir, adjust.apply(config));
    }

    // ---- fixtures through the public API ----

    public long unit(String name) {
        Http.Reply r = api.post("/api/v1/units", Map.of("name", name));
        if (r.status() != 201) throw new IllegalStateException("unit: " + r.text());
        return r.body().get("id").asLong();
    }

    /** A unit under {@code parentId} (a cell under its district). */
    public long unitUnder(long parentId, String name) {
        Http.Reply r = api.post("/api/v1/units", Map.of("name", name, "parentId", parentId));
        if (r.status() != 201) throw new IllegalStateException("unit: " + r.text());
        return r.body().get("id").asLong();
    }

    /** A member with a role ({@code secretary}, {@code deputy}, {@code supervisor}, {@code member}). */
    public long memberAs(long unitId, String name, String role) {
        Http.Reply r = api.post("/api/v1/units/" + unitId + "/members", Map.of("name", name, "role", role));
        if (r.status() != 201) throw new IllegalStateException("member: " + r.text());
        return r.body().get("id").asLong();
    }

    public long member(long unitId, String name, String localUserId) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (localUserId != null) body.put("localUserId", localUserId);
        Http.Reply r = api.post("/api/v1/units/" + unitId + "/members", body);
        if (r.status() != 201) throw new IllegalStateException("member: " + r.text());
        return r.body().get("id").asLong();
    }

    public long localChat(long unitId, String chatId) {
        Http.Reply r = api.post("/api/v1/units/" + unitId + "/chats", Map.of("platform", "local", "chatId", chatId, "title", "Chat " + chatId));
        if (r.status() != 201) throw new IllegalStateException("chat: " + r.text());
        return r.body().get("id").asLong();
    }

    /** A meeting at {@code startsAt} (local to the unit) with the given reminder plan. */
    public JsonNode meeting(long unitId, String startsAt, List<?> reminders) {
        Map<String, Object> body = new HashMap<>();
        body.put("unitId", unitId);
        body.put("title", "Sinh hoạt chi bộ tháng 12");
        body.put("startsAt", startsAt);
        body.put("location", "Nhà văn hoá");
        body.put("agenda", List.of(Map.of("title", "Báo cáo tình hình"), Map.of("title", "Phân công nhiệm vụ")));
        if (reminders != null) body.put("reminders", reminders);
        Http.Reply r = api.post("/api/v1/meetings", body);
        if (r.status() != 201) throw new IllegalStateException("meeting: " + r.text());
        return r.body();
    }

    public JsonNode localMessages(String chatId) {
        return api.get("/api/v1/local/chats/" + chatId + "/messages").body();
    }

    /** Moves the clock and lets the scheduler and dispatcher act on the new time at once. */
    public void advance(Duration by) {
        clock.advance(by);
        convene.services().firing().fireDue();
        convene.services().dispatcher().wake();
    }

    /** Waits, bounded, for something the background dispatcher does; fails when it does not happen. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(20), condition);
    }

    /** Waits at most {@code bound}: for what a separate process does, on a machine that may be loaded. */
    public static void await(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        convene.close();
    }
}
