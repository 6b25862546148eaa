package org.convene.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.convene.meeting.MemberService;
import org.convene.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: {@code serve}, {@code demo}, {@code migrate}, {@code backup}, {@code restore}, {@code import-members}, {@code bench}. */
@Command(name = "convene", mixinStandardHelpOptions = true, version = "Convene 0.1",
        description = "Meeting agendas, documents and replies through the group chats members already use.",
        subcommands = {Main.Serve.class, Main.Demo.class, Main.Migrate.class, Main.Backup.class, Main.Restore.class, Main.ImportMembers.class,
                org.convene.bench.Bench.class, org.convene.bench.ProvinceNode.class, picocli.CommandLine.HelpCommand.class},
        footer = {"", "./convene test runs every test (the launcher's own command: mvn -B verify on a JDK 21+)."})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || args.length == 0 || !isLongRunning(args[0])) System.exit(code);
    }

    /**
     * The command line. Whatever an operator can cause (a bad configuration value or option, a port in
     * use, a missing file, a folder that cannot be written) exits with 2 and one line naming the cause;
     * only bugs print a stack trace.
     */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            String cause = operatorCause(e);
            if (cause == null) throw e;
            cmd.getErr().println("convene: " + cause);
            return 2;
        }).setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("convene: " + e.getMessage() + " (see ./convene "
                    + e.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
    }

    /** The one line for a failure the operator can fix, or null for a bug. Looks through wrappers (Jdbi's, the pool's). */
    static String operatorCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            switch (t) {
                case java.nio.file.NoSuchFileException f -> {
                    return "no such file or folder: " + f.getFile();
                }
                case java.nio.file.AccessDeniedException f -> {
                    return "permission denied: " + f.getFile() + " cannot be read or written by this user";
                }
                case java.nio.file.FileAlreadyExistsException f -> {
                    return "already exists: " + f.getFile();
                }
                case java.nio.file.FileSystemException f -> {
                    return "cannot use " + f.getFile() + (f.getReason() == null ? "" : ": " + f.getReason());
                }
                case java.nio.charset.CharacterCodingException c -> {
                    return "the file is not UTF-8 text; save it again as \"CSV UTF-8\"";
                }
                case java.sql.SQLException q when q.getMessage() != null && q.getMessage().contains("SQLITE_CANTOPEN") -> {
                    return "cannot open or create the database file: its folder is missing or not writable (set --data-dir or CONVENE_DATA_DIR)";
                }
                default -> { }
            }
        }
        if (e instanceof ConfigLoader.BadConfig || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof org.convene.meeting.ConveneException) {
            return e.getMessage();
        }
        return null;
    }

    private static boolean isLongRunning(String command) {
        return command.equals("serve") || command.equals("demo");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    abstract static class WithConfig {
        @Option(names = "--config", description = "configuration file (default: config/convene.yaml when present)")
        Path configFile;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "data directory (database file, materials); wins over CONVENE_DATA_DIR and the file. The demo's is ./data-demo")
        Path dataDir;

        Config config() {
            return config(new java.util.HashMap<>(System.getenv()), Path.of("config", "convene.yaml"));
        }

        /** The configuration from the file (--config, else {@code usual} when present) and {@code env}, with --data-dir over both. */
        Config config(Map<String, String> env, Path usual) {
            if (dataDir != null) env.put("CONVENE_DATA_DIR", dataDir.toString());
            return ConfigLoader.load(configFile != null ? configFile : usual, configFile != null, env);
        }
    }

    @Command(name = "serve", description = "Run the service.")
    static final class Serve extends WithConfig implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Config config = config();
            if (config.local().enabled()) {
                org.slf4j.LoggerFactory.getLogger(Main.class).warn("the local chat platform is on (local.enabled): anyone signed in to the pages"
                        + " or holding a token may speak in the local chats of their units as any member; it is meant for the demo and tests");
            }
            Convene convene = Convene.start(config, Clock.systemUTC());
            System.out.println("Convene is listening on " + convene.publicUrl());
            waitForShutdown(convene);
            return 0;
        }
    }

    @Command(name = "demo", description = "Run with demo data in ./data-demo and the local chat platform; a second start reuses it.")
    static final class Demo extends WithConfig implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default: 7070, or CONVENE_HTTP_PORT)")
        Integer port;

        @Option(names = "--host", description = "address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every address)")
        String host;

        @Option(names = "--reset", description = "delete the demo's data folder first and seed it afresh")
        boolean reset;

        @Override
        public Integer call() throws InterruptedException, java.io.IOException {
            Map<String, String> env = new java.util.HashMap<>(System.getenv());
            env.putIfAbsent("CONVENE_DATA_DIR", "./data-demo");
            env.remove("CONVENE_DATABASE_URL");
            env.putIfAbsent("CONVENE_LOCAL_ENABLED", "true");
            // the demo shows a reminder a minute after start, whatever the hour in Viet Nam
            env.putIfAbsent("CONVENE_REMINDERS_QUIET_HOURS", "off");
            Config config = config(env, null); // the demo reads no config/convene.yaml unless given one
            if (port != null) {
                if (port < 0 || port > 65535) throw new IllegalArgumentException("--port " + port + " is not a port: use 1 to 65535 (0 picks a free one)");
                config = config.withHttpPort(port);
            }
            // the demo's local chat lets anyone act as any member: only this machine reaches it unless asked
            config = config.withHttpHost(host != null ? host : "127.0.0.1");
            if (reset) DemoData.reset(config.dataDir());
            Convene convene = Convene.start(config, Clock.systemUTC());
            DemoData.Seeded seeded = new DemoData(convene, Clock.systemUTC()).seed();
            System.out.println();
            System.out.println("Convene demo is running.");
            System.out.println("  Secretary's pages: open this link in a browser to sign in as Nguyễn Văn Hùng (secretary); valid 10 minutes, once:");
            System.out.println("      " + seeded.signInUrl());
            System.out.println("    or at " + convene.publicUrl() + "/login with the admin token.");
            System.out.println("  Local chat (the group as a phone shows it; sign in first): " + convene.publicUrl() + "/local");
            System.out.println("  API:            " + convene.publicUrl() + "/api/v1   health: " + convene.publicUrl() + "/health");
            System.out.println("  Admin token:    " + convene.adminToken());
            System.out.println("  Demo meeting:   " + convene.publicUrl() + "/api/v1/meetings/" + seeded.meetingId()
                    + (seeded.reused() ? " — kept from the last start (no second agenda); its agenda is due in the local chat at "
                                       : " — its agenda reaches the local chat at ") + seeded.agendaDueLocal());
            System.out.println("  Try: curl -H 'Authorization: Bearer " + convene.adminToken() + "' " + convene.publicUrl()
                    + "/api/v1/meetings/" + seeded.meetingId() + "/responses");
            System.out.println("  On this data:   ./convene import-members --data-dir " + config.dataDir() + " --unit " + seeded.unitId()
                    + " FILE.csv   ./convene backup --data-dir " + config.dataDir() + " FILE.db");
            System.out.println("Stop with Ctrl+C. Data stays in " + config.dataDir() + "; the next start reuses it (./convene demo --reset starts afresh).");
            waitForShutdown(convene);
            return 0;
        }
    }

    @Command(name = "migrate", description = "Apply database migrations and exit.")
    static final class Migrate extends WithConfig implements Callable<Integer> {
        @Override
        public Integer call() {
            Config config = config();
            try (Database db = Database.open(config.effectiveDatabaseUrl(), config.databaseUser(), config.databasePassword())) {
                db.migrate();
            }
            System.out.println("Database is up to date: " + redact(config.effectiveDatabaseUrl()));
            return 0;
        }
    }

    @Command(name = "backup", description = "Write one archive with a consistent copy of the SQLite database and the materials it refers to, "
            + "also while the service runs.")
    static final class Backup extends WithConfig implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "where to write the archive (must not exist)")
        Path target;

        @Override
        public Integer call() {
            BackupService.Result done = new BackupService(Clock.systemUTC()).backup(config(), target);
            System.out.println("Backup written to " + done.archive().toAbsolutePath() + " (the database and " + done.materials() + " material files)");
            return 0;
        }
    }

    @Command(name = "restore", description = "Bring a backup archive back into the data directory (stop the service first).")
    static final class Restore extends WithConfig implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "an archive written by ./convene backup (or an older backup's database file)")
        Path archive;

        @Option(names = "--force", description = "restore into a data directory that is not empty, replacing its database")
        boolean force;

        @Override
        public Integer call() {
            BackupService.Result done = new BackupService(Clock.systemUTC()).restore(config(), archive, force);
            if (done.narrowed() != null) System.out.println("Narrowed the data directory to its owner's: " + done.narrowed());
            System.out.println("Restored " + archive.toAbsolutePath() + " into " + done.dataDir() + " (the database and " + done.materials()
                    + " material files); start the service with ./convene serve");
            return 0;
        }
    }

    @Command(name = "import-members", description = "Import members from CSV: name,role,phone,telegramUserId (comma, semicolon or tab; an English or Vietnamese header).")
    static final class ImportMembers extends WithConfig implements Callable<Integer> {
        @Option(names = "--unit", required = true, description = "the unit id")
        long unitId;

        @Parameters(index = "0", paramLabel = "FILE.csv")
        Path file;

        @Override
        public Integer call() throws java.io.IOException {
            Config config = config();
            try (Database db = Database.open(config.effectiveDatabaseUrl(), config.databaseUser(), config.databasePassword())) {
                db.migrate();
                var result = new MemberService(db.jdbi(), Clock.systemUTC(), new java.security.SecureRandom(), config.limits().importRows())
                        .importCsv(org.convene.meeting.Caller.admin("cli"), unitId, Files.readString(file));
                System.out.println("created " + result.created() + ", updated " + result.updated() + ", errors " + result.errors().size());
                result.errors().forEach(e -> System.out.println("  line " + e.line() + ": " + e.message()));
                return result.errors().isEmpty() ? 0 : 1;
            } catch (org.convene.meeting.ConveneException e) {
                System.err.println("convene: " + e.getMessage());
                return 2;
            }
        }
    }

    private static void waitForShutdown(Convene convene) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            convene.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    static String redact(String url) {
        return url.replaceAll("(password=)[^&]*", "$1***");
    }
}
