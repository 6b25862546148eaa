package org.convene.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.convene.app.Config;
import org.convene.app.ConfigLoader;
import org.convene.app.Convene;
import org.convene.store.Database;
import org.jdbi.v3.core.Jdbi;

/**
 * A real Convene for one scenario: a fresh data directory, Telegram in webhook mode against the fake
 * Bot API at the fake's rate, the local platform off, quiet hours off, the real clock.
 */
final class BenchConvene implements AutoCloseable {
    static final String ADMIN = "bench-admin-token-long-enough-to-pass";

    final Path dataDir;
    private final Map<String, String> env;
    private Convene convene;

    /** A data directory with the schema in place, ready to seed before {@link #start()}. */
    BenchConvene(FakeBotApiServer botApi, double messagesPerSecond) {
        try {
            dataDir = Files.createTempDirectory("convene-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env = environment(dataDir, botApi.url(), messagesPerSecond);
        try (Database db = Database.sqlite(dataDir.resolve("convene.db"))) {
            db.migrate();
        }
    }

    static Map<String, String> environment(Path dataDir, String botApiUrl, double messagesPerSecond) {
        Map<String, String> env = new HashMap<>();
        env.put("CONVENE_DATA_DIR", dataDir.toString());
        env.put("CONVENE_HTTP_PORT", "0");
        env.put("CONVENE_ADMIN_TOKEN", ADMIN);
        env.put("CONVENE_REMINDERS_QUIET_HOURS", "off");
        env.put("CONVENE_LOCAL_ENABLED", "false");
        env.put("CONVENE_TELEGRAM_TOKEN", FakeBotApiServer.TOKEN);
        env.put("CONVENE_TELEGRAM_API_URL", botApiUrl);
        env.put("CONVENE_TELEGRAM_MODE", "webhook");
        env.put("CONVENE_TELEGRAM_MESSAGES_PER_SECOND", String.valueOf(messagesPerSecond));
        return env;
    }

    /** Seeds through a connection of its own, before Convene runs (or beside it). */
    <T> T seed(java.util.function.Function<Jdbi, T> work) {
        if (convene != null) return work.apply(convene.services().database().jdbi());
        try (Database db = Database.sqlite(dataDir.resolve("convene.db"))) {
            return work.apply(db.jdbi());
        }
    }

    Convene start() {
        Config config = ConfigLoader.load(null, false, env);
        convene = Convene.start(config, Clock.systemUTC());
        return convene;
    }

    Convene convene() {
        return convene;
    }

    Jdbi jdbi() {
        return convene.services().database().jdbi();
    }

    @Override
    public void close() {
        if (convene != null) convene.close();
        deleteTree(dataDir);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a benchmark for
        }
    }
}
