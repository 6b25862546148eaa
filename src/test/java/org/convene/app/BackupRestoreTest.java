package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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
}
