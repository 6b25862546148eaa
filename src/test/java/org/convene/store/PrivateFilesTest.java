package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.convene.support.Http;
import org.convene.support.MutableClock;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and the files holding secrets are the service user's only; a refused upload leaves nothing. */
class PrivateFilesTest {
    @TempDir
    Path tmp;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void a_first_start_makes_the_data_directory_0700_and_the_database_wal_and_admin_token_0600() throws Exception {
        Path data = tmp.resolve("data");
        // no configured admin token: one is generated into the data directory
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of("CONVENE_ADMIN_TOKEN", ""), c -> c)) {
            Http admin = app.api.as(Files.readString(data.resolve("admin-token")).strip());
            assertThat(admin.post("/api/v1/units", Map.of("name", "Chi bộ 1")).status()).isEqualTo(201);

            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("convene.db"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("convene.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(data.resolve("admin-token"))).isEqualTo("rw-------");
        }
    }

    @Test
    void an_existing_data_directory_database_wal_and_admin_token_open_to_others_are_narrowed_at_start_in_one_log_line() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class), "the file system has no POSIX permissions");
        // as the operator's mkdir under a umask of 022 and an earlier version left them
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> generatedToken = Map.of("CONVENE_ADMIN_TOKEN", "");
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), generatedToken, c -> c)) {
            app.api.as(Files.readString(data.resolve("admin-token")).strip()).post("/api/v1/units", Map.of("name", "Chi bộ 1"));
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setPosixFilePermissions(data.resolve("convene.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(data.resolve("convene.db-wal"), ""); // an empty WAL, as a crash can leave it
        Files.setPosixFilePermissions(data.resolve("convene.db-wal"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(data.resolve("admin-token"), PosixFilePermissions.fromString("r--r-----"));

        String log = capturingErr(() -> {
            try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), generatedToken, c -> c)) {
                assertThat(app.api.as(Files.readString(data.resolve("admin-token")).strip()).get("/api/v1/units").status()).isEqualTo(200);
                assertThat(mode(data)).isEqualTo("rwx------");
                assertThat(mode(data.resolve("convene.db"))).isEqualTo("rw-------");
                assertThat(mode(data.resolve("convene.db-wal"))).as("the WAL in use").isEqualTo("rw-------");
                assertThat(mode(data.resolve("admin-token"))).as("the owner's narrower mode stays").isEqualTo("r--------");
            }
        });

        assertThat(log.lines().filter(l -> l.contains("narrowed")).toList()).singleElement().asString()
                .contains(data + " 0775 → 0700", data.resolve("convene.db") + " 0644 → 0600",
                        data.resolve("convene.db-wal") + " 0666 → 0600", data.resolve("admin-token") + " 0440 → 0400");

        String again = capturingErr(() -> TestConvene.startIn(data, new MutableClock(TestConvene.START), generatedToken, c -> c).close());
        assertThat(again).as("nothing left to narrow").doesNotContain("narrowed");
    }

    interface Action {
        void run() throws Exception;
    }

    /** What the service logged (slf4j-simple writes to standard error) while {@code action} ran. */
    private static String capturingErr(Action action) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_refused_upload_leaves_no_file_on_disk() throws Exception {
        Path data = tmp.resolve("data");
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            long unit = app.unit("Chi bộ 1");
            long meeting = app.meeting(unit, "2026-12-05T19:30", null).get("id").asLong();

            Http.Reply refused = app.api.upload("/api/v1/meetings/" + meeting + "/materials", "tai-lieu.pdf", Samples.exe(), "application/pdf");

            assertThat(refused.status()).as(refused.text()).isEqualTo(415);
            assertThat(files(data.resolve("materials"))).isEmpty();
            assertThat(app.api.upload("/api/v1/meetings/" + meeting + "/materials", "bao-cao.pdf", Samples.pdf(), "application/pdf").status())
                    .isEqualTo(201);
            assertThat(files(data.resolve("materials"))).hasSize(1);
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
