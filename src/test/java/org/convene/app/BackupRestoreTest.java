package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.convene.support.MutableClock;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./convene backup FILE} while the service runs and {@code ./convene restore FILE} into another data
 * directory: a unit with a meeting, its answers and its document comes back whole, documents byte for byte.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;

    /** What the operator sees: the exit code and standard error. */
    record Run(int code, String err) {}

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, err.toString());
    }

    private long meetingWithAnswersAndADocument(TestConvene app) {
        long unit = app.unit("Chi bộ sao lưu");
        app.member(unit, "Trần Thị Lan", "u-lan");
        app.member(unit, "Lê Văn Minh", "u-minh");
        app.localChat(unit, "g1");
        long meeting = app.meeting(unit, "2026-12-01T11:00:00", List.of("PT3H")).get("id").asLong();
        assertThat(app.api.upload("/api/v1/meetings/" + meeting + "/materials", "Nghị quyết.pdf", Samples.pdf(), "application/pdf").status())
                .isEqualTo(201);
        app.advance(Duration.ZERO);
        await("the agenda", () -> !app.localMessages("g1").isEmpty());
        JsonNode agenda = app.localMessages("g1").get(0);
        app.api.post("/api/v1/local/chats/g1/press", Map.of("messageId", agenda.get("messageId").asLong(),
                "buttonId", agenda.at("/buttons/1/id").asText(), "userId", "u-lan", "userName", "Lan"));
        app.api.post("/api/v1/local/chats/g1/say", Map.of("userId", "u-minh", "userName", "Minh", "text", "vắng vì ốm"));
        return meeting;
    }

    @Test
    void a_unit_with_a_meeting_its_answers_and_its_document_round_trips_through_backup_and_restore() throws Exception {
        Path data = dir.resolve("data");
        Path archive = dir.resolve("convene-backup.zip");
        long meeting;
        String responses;
        String meetingBefore;
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            meeting = meetingWithAnswersAndADocument(app);
            responses = app.api.get("/api/v1/meetings/" + meeting + "/responses").body().toString();
            meetingBefore = app.api.get("/api/v1/meetings/" + meeting).body().toString();
            assertThat(run("backup", "--data-dir", data.toString(), archive.toString()).code()).as("while the service runs").isZero();
        }

        Path restored = dir.resolve("restored");
        assertThat(run("restore", "--data-dir", restored.toString(), archive.toString()).code()).isZero();

        try (TestConvene app = TestConvene.startIn(restored, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            assertThat(app.api.get("/api/v1/meetings/" + meeting).body().toString()).isEqualTo(meetingBefore);
            assertThat(app.api.get("/api/v1/meetings/" + meeting + "/responses").body().toString()).isEqualTo(responses);
            JsonNode material = app.api.get("/api/v1/meetings/" + meeting + "/materials").body().get(0);
            assertThat(material.get("filename").asText()).isEqualTo("Nghị quyết.pdf");
            assertThat(app.api.getBytes("/api/v1/materials/" + material.get("id").asLong() + "/content")).isEqualTo(Samples.pdf());
        }
    }

    @Test
    void restore_refuses_a_data_directory_that_is_not_empty_unless_forced() throws Exception {
        Path data = dir.resolve("data");
        Path archive = dir.resolve("b.zip");
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            app.unit("Chi bộ 1");
            assertThat(run("backup", "--data-dir", data.toString(), archive.toString()).code()).isZero();
        }
        Path other = dir.resolve("other");
        try (TestConvene app = TestConvene.startIn(other, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            app.unit("Chi bộ khác");
            Run inUse = run("restore", "--force", "--data-dir", other.toString(), archive.toString());
            assertThat(inUse.code()).as("the service still runs on it").isEqualTo(2);
            assertThat(inUse.err()).startsWith("convene: the database ").contains("is in use: stop the service");
        }

        Run refused = run("restore", "--data-dir", other.toString(), archive.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().lines().toList()).singleElement().asString()
                .startsWith("convene: the data directory ").contains("is not empty", "--force");
        assertThat(run("restore", "--force", "--data-dir", other.toString(), archive.toString()).code()).isZero();
        try (TestConvene app = TestConvene.startIn(other, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            assertThat(app.api.get("/api/v1/units").body().findValuesAsText("name")).containsExactly("Chi bộ 1");
        }
    }

    @Test
    void a_file_that_is_not_a_backup_and_a_missing_one_are_one_line_each_with_exit_2() throws Exception {
        Path junk = dir.resolve("notes.txt");
        Files.writeString(junk, "not a backup");

        Run notBackup = run("restore", "--data-dir", dir.resolve("d1").toString(), junk.toString());
        Run missing = run("restore", "--data-dir", dir.resolve("d2").toString(), dir.resolve("nowhere.zip").toString());
        Run nothingToBackUp = run("backup", "--data-dir", dir.resolve("empty").toString(), dir.resolve("x.zip").toString());

        assertThat(notBackup.code()).isEqualTo(2);
        assertThat(notBackup.err()).isEqualTo("convene: not a Convene backup: " + junk + " is neither a backup archive nor a SQLite database\n");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().lines().toList()).singleElement().asString().startsWith("convene: no such file or folder: ");
        assertThat(nothingToBackUp.code()).isEqualTo(2);
        assertThat(nothingToBackUp.err()).startsWith("convene: there is no database to back up");
        assertThat(Files.exists(dir.resolve("x.zip"))).isFalse();
    }

    private void assumePosix() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "the file system has no POSIX permissions");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Each path under {@code root} (not {@code root} itself) with its permissions. */
    private static Map<String, String> modesUnder(Path root) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !p.equals(root)).toList()) modes.put(root.relativize(p).toString(), mode(p));
        }
        return modes;
    }

    interface WhileHeld {
        void run() throws Exception;
    }

    /**
     * Runs {@code ./convene backup} on {@code data} held half-way, its database copy made and its archive
     * begun but not finished, while {@code whileHeld} runs: the admin token is a named pipe, which the backup
     * reads last and which this method writes only then. What exists at that moment is what a chmod after
     * would miss.
     */
    private Run backupHeldHalfWay(Path data, Path archive, WhileHeld whileHeld) throws Exception {
        Path token = data.resolve("admin-token");
        assumeTrue(new ProcessBuilder("mkfifo", token.toString()).start().waitFor() == 0, "mkfifo is not available");
        ExecutorService runner = Executors.newFixedThreadPool(2);
        CountDownLatch attached = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try {
            Future<Run> backup = runner.submit(() -> run("backup", "--data-dir", data.toString(), archive.toString()));
            // opening a pipe to write waits for its reader: once open, the backup is reading the token
            Future<?> writer = runner.submit(() -> {
                try (OutputStream pipe = new FileOutputStream(token.toFile())) {
                    attached.countDown();
                    done.await();
                    pipe.write("adm_from_the_pipe\n".getBytes(StandardCharsets.UTF_8));
                }
                return null;
            });
            if (!attached.await(60, TimeUnit.SECONDS)) {
                new FileInputStream(token.toFile()).close(); // lets the writer go
                throw new AssertionError("the backup did not come to the admin token: " + (backup.isDone() ? backup.get() : "still running"));
            }
            whileHeld.run();
            done.countDown();
            writer.get(60, TimeUnit.SECONDS);
            return backup.get(60, TimeUnit.SECONDS);
        } finally {
            done.countDown();
            runner.shutdownNow();
        }
    }

    private Path dataWithAMeeting() {
        Path data = dir.resolve("data");
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            meetingWithAnswersAndADocument(app);
        }
        return data;
    }

    @Test
    void the_archive_and_every_file_the_backup_writes_on_its_way_are_the_owners_only_from_their_first_byte() throws Exception {
        assumePosix();
        Path data = dataWithAMeeting();
        Path backups = Files.createDirectories(dir.resolve("backups"));
        Path archive = backups.resolve("convene-backup.zip");
        Map<String, String> halfWay = new TreeMap<>();

        Run backup = backupHeldHalfWay(data, archive, () -> halfWay.putAll(modesUnder(backups)));

        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(halfWay.keySet()).as("the database copy and the archive being written")
                .anyMatch(n -> n.endsWith(".db")).anyMatch(n -> n.endsWith(".part"));
        assertThat(halfWay).allSatisfy((name, mode) -> assertThat(mode).as(name + ": nothing for group or others").endsWith("------"));
        assertThat(modesUnder(backups)).as("only the archive is left").containsExactly(Map.entry("convene-backup.zip", "rw-------"));
        try (var zip = new java.util.zip.ZipFile(archive.toFile())) {
            assertThat(new String(zip.getInputStream(zip.getEntry("admin-token")).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("adm_from_the_pipe\n");
        }
    }

    @Test
    void a_file_made_under_the_backups_name_while_it_runs_is_kept_and_the_backup_says_so() throws Exception {
        Path data = dataWithAMeeting();
        Path backups = Files.createDirectories(dir.resolve("backups"));
        Path archive = backups.resolve("convene-backup.zip");

        Run backup = backupHeldHalfWay(data, archive, () -> Files.writeString(archive, "another backup's bytes"));

        assertThat(backup.code()).isEqualTo(2);
        assertThat(backup.err()).contains("the backup file exists already: " + archive);
        assertThat(Files.readString(archive)).isEqualTo("another backup's bytes");
        try (Stream<Path> left = Files.list(backups)) {
            assertThat(left).as("nothing of the backup is left").containsExactly(archive);
        }
    }

    @Test
    void restore_makes_the_data_directory_0700_and_the_database_admin_token_and_documents_0600() throws Exception {
        assumePosix();
        Path data = dir.resolve("data");
        Path archive = dir.resolve("b.zip");
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            meetingWithAnswersAndADocument(app);
        }
        Files.writeString(data.resolve("admin-token"), "adm_generated_before\n"); // as a plain write under the umask leaves it
        Files.setPosixFilePermissions(data.resolve("admin-token"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("backup", "--data-dir", data.toString(), archive.toString()).code()).isZero();
        Path fresh = dir.resolve("new").resolve("data");
        Path made = Files.createDirectory(dir.resolve("made-by-mkdir"));
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(run("restore", "--data-dir", fresh.toString(), archive.toString()).code()).isZero();
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("restore", "--data-dir", made.toString(), archive.toString()).code()).isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Narrowed the data directory to its owner's: " + made + " 0755 → 0700");

        for (Path restored : List.of(fresh, made)) {
            assertThat(mode(restored)).as(restored.toString()).isEqualTo("rwx------");
            Map<String, String> files = new TreeMap<>(modesUnder(restored));
            files.keySet().removeIf(name -> Files.isDirectory(restored.resolve(name)));
            assertThat(files.keySet()).as("nothing staged is left").contains("convene.db", "admin-token").noneMatch(n -> n.startsWith(".restore-"))
                    .anyMatch(n -> n.startsWith("materials/"));
            assertThat(files).as(restored + ": the database, the admin token and the documents").allSatisfy((name, mode) ->
                    assertThat(mode).as(name).isEqualTo("rw-------"));
        }

        // an older backup is the bare database file, here readable by all as a plain cp would leave it
        Path bare = dir.resolve("old-backup.db");
        Files.copy(data.resolve("convene.db"), bare);
        Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rw-r--r--"));
        Path fromBare = dir.resolve("from-bare");
        assertThat(run("restore", "--data-dir", fromBare.toString(), bare.toString()).code()).isZero();
        assertThat(mode(fromBare)).isEqualTo("rwx------");
        assertThat(modesUnder(fromBare)).containsExactly(Map.entry("convene.db", "rw-------"));
    }
}
