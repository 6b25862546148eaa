package org.convene.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** One connection pool shared by Jdbi and Quartz, migrated by Flyway at start. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String url;
    /** SQLite's one writer, queued in the JVM in arrival order (see {@link SerializedTransactions}). */
    private final java.util.concurrent.locks.ReentrantLock writer = new java.util.concurrent.locks.ReentrantLock(true);

    private Database(String url, HikariDataSource dataSource) {
        this.url = url;
        this.dialect = Dialect.of(url);
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        if (dialect == Dialect.SQLITE) jdbi.setTransactionHandler(new SerializedTransactions(jdbi.getTransactionHandler(), writer));
        registerInstantsAsEpochMillis(jdbi);
    }

    /**
     * Opens the database at {@code url}; a SQLite URL gets the pragmas every pooled connection needs
     * (WAL, foreign keys, busy timeout, IMMEDIATE write transactions so that read-then-write
     * transactions wait instead of failing with SQLITE_BUSY).
     */
    public static Database open(String url, String user, String password) {
        String effective = url;
        if (Dialect.of(url) == Dialect.SQLITE) {
            effective = withSqlitePragmas(url);
            Path file = sqliteFile(url);
            if (file != null && file.getParent() != null) {
                try {
                    PrivateFiles.directory(file.getParent());
                    PrivateFiles.file(file); // before SQLite makes it with the umask's 0644: it holds every member's data
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot create the database directory " + file.getParent(), e);
                }
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(effective);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(Dialect.of(url).poolSize());
        config.setPoolName("convene");
        return new Database(effective, new HikariDataSource(config));
    }

    public static Database sqlite(Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    static String withSqlitePragmas(String url) {
        String pragmas = "journal_mode=WAL&busy_timeout=10000&foreign_keys=true&synchronous=NORMAL&transaction_mode=IMMEDIATE";
        return url.contains("?") ? url + "&" + pragmas : url + "?" + pragmas;
    }

    /** The database file of a SQLite URL, or null for an in-memory database. */
    public static Path sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith("file::memory:")) return null;
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        return Path.of(rest);
    }

    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocations())
                .placeholders(dialect.placeholders())
                .load()
                .migrate();
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The pool for a library that writes with transactions of its own (Quartz): on SQLite each connection
     * takes the writer's turn until it is closed, so that it queues with Convene's transactions instead of
     * fighting them in SQLite's busy handler.
     */
    public DataSource transactionalDataSource() {
        return dialect == Dialect.SQLITE ? new WriterTurnDataSource(dataSource, writer) : dataSource;
    }

    /** Whether each connection of {@code dataSource} holds the writer's turn until it is closed (see {@link #transactionalDataSource()}). */
    public static boolean takesWriterTurn(DataSource dataSource) {
        return dataSource instanceof WriterTurnDataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    /**
     * {@link #healthy()}, asked of the database at most once per {@code every}: {@code /health} is polled by
     * load balancers and benchmarks as the server's cheapest request, and a pooled connection and a query each
     * time would make it neither cheap nor a fair measure of the server. A failure shows within {@code every}.
     */
    public java.util.function.BooleanSupplier healthCheck(java.time.Clock clock, java.time.Duration every) {
        return new java.util.function.BooleanSupplier() {
            private volatile java.time.Instant checkedAt;
            private volatile boolean healthy;

            @Override
            public boolean getAsBoolean() {
                java.time.Instant now = clock.instant();
                java.time.Instant last = checkedAt;
                // a clock set back counts as a second passed
                if (last != null && now.isBefore(last.plus(every)) && !now.isBefore(last)) return healthy;
                healthy = healthy();
                checkedAt = now;
                return healthy;
            }
        };
    }

    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A consistent copy of a running SQLite database ({@code VACUUM INTO} reads one snapshot, so
     * writers carry on meanwhile).
     */
    public void backupTo(Path target) {
        if (dialect != Dialect.SQLITE) {
            throw new IllegalStateException("backup copies SQLite databases; for PostgreSQL use pg_dump");
        }
        if (Files.exists(target)) throw new IllegalArgumentException("backup target exists already: " + target);
        jdbi.useHandle(h -> h.execute("VACUUM INTO ?", target.toAbsolutePath().toString()));
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void registerInstantsAsEpochMillis(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.BIGINT) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setLong(position, value.toEpochMilli());
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            long millis = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
        });
    }
}
