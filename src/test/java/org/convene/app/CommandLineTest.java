package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convene.store.Database;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate, backup and import-members as an operator runs them, on a real data directory. */
class CommandLineTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path file = dir.resolve("convene.yaml");
        Files.writeString(file, "data:\n  dir: " + dir.resolve("data") + "\n");
        return file;
    }

    private int run(String... args) {
        return Main.commandLine().setErr(new PrintWriter(new StringWriter())).execute(args);
    }

    /** What the operator sees: the exit code and what went to standard error. */
    record Run(int code, String err) {
        List<String> lines() {
            return err.lines().toList();
        }
    }

    private Run runSeen(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void help_lists_the_commands_and_explains_one() {
        StringWriter out = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(out)).execute("help")).isZero();
        assertThat(out.toString()).contains("serve", "demo", "migrate", "backup", "import-members", "bench", "./convene test");
        StringWriter serve = new StringWriter();
        assertThat(Main.commandLine().setOut(new PrintWriter(serve)).execute("help", "serve")).isZero();
        assertThat(serve.toString()).contains("--config");
        assertThat(run("no-such-command")).as("an unknown command is an error").isEqualTo(2);
    }

    @Test
    void migrate_creates_the_schema_and_a_second_run_changes_nothing() throws Exception {
        Path config = config();
        assertThat(run("migrate", "--config", config.toString())).isZero();
        assertThat(run("migrate", "--config", config.toString())).isZero();
        try (Database db = Database.sqlite(dir.resolve("data/convene.db"))) {
            int applied = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success").mapTo(Integer.class).one());
            assertThat(applied).isGreaterThanOrEqualTo(5);
            int units = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM units").mapTo(Integer.class).one());
            assertThat(units).isZero();
        }
    }

    @Test
    void backup_copies_a_running_database_and_import_members_reports_bad_lines() throws Exception {
        Path config = config();
        Path data = dir.resolve("data");
        long unit;
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            unit = app.unit("Chi bộ sao lưu");
            app.member(unit, "Nguyễn Văn Sao", null);
            Path copy = dir.resolve("copy.zip");
            assertThat(run("backup", "--config", config.toString(), copy.toString())).as("while the service runs").isZero();
            assertThat(run("restore", "--data-dir", dir.resolve("restored").toString(), copy.toString())).isZero();
            try (Database backup = Database.sqlite(dir.resolve("restored").resolve("convene.db"))) {
                List<String> units = backup.jdbi().withHandle(h -> h.createQuery("SELECT name FROM units").mapTo(String.class).list());
                assertThat(units).containsExactly("Chi bộ sao lưu");
            }
            assertThat(run("backup", "--config", config.toString(), copy.toString())).as("never over an existing file").isNotZero();
        }
        Path csv = dir.resolve("members.csv");
        Files.writeString(csv, "name,role,phone,telegramUserId\nTrần Thị Lan,member,0912345678,\n,member,,\nLê Văn Minh,chairman,,\n");
        assertThat(run("import-members", "--config", config.toString(), "--unit", String.valueOf(unit), csv.toString()))
                .as("exit 1 when a line was refused").isEqualTo(1);
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            List<String> names = app.api.get("/api/v1/units/" + unit + "/members").body().findValuesAsText("name");
            assertThat(names).containsExactlyInAnyOrder("Nguyễn Văn Sao", "Trần Thị Lan");
        }
        assertThat(run("import-members", "--config", config.toString(), "--unit", "999", csv.toString())).isEqualTo(2);
    }

    @Test
    void a_bad_configuration_value_stops_with_exit_code_2() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http:\n  port: seventy\n");
        assertThat(run("migrate", "--config", file.toString())).isEqualTo(2);
        assertThat(run("migrate", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    }

    @Test
    void import_members_with_a_missing_file_is_one_line_and_exit_2() throws Exception {
        Path missing = dir.resolve("khong-co.csv");

        Run r = runSeen("import-members", "--data-dir", dir.resolve("data").toString(), "--unit", "1", missing.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.lines()).containsExactly("convene: no such file or folder: " + missing);
    }

    @Test
    void a_data_folder_that_cannot_be_made_is_one_line_and_exit_2() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

        Run r = runSeen("migrate", "--data-dir", file.resolve("data").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.lines()).singleElement().asString().startsWith("convene: ").contains(file.resolve("data").toString());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void a_port_in_use_is_one_line_and_exit_2() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Path config = dir.resolve("port.yaml");
            Files.writeString(config, "data:\n  dir: " + dir.resolve("data") + "\nhttp:\n  port: " + taken.getLocalPort() + "\n");

            Run r = runSeen("serve", "--config", config.toString());

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.lines()).containsExactly("convene: port " + taken.getLocalPort() + " is already in use by another program;"
                    + " stop it or choose another port with --port or CONVENE_HTTP_PORT");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void a_port_out_of_range_is_one_line_and_exit_2() throws Exception {
        Path config = dir.resolve("port.yaml");
        Files.writeString(config, "http:\n  port: 70000\n");

        Run fromFile = runSeen("migrate", "--config", config.toString());
        Run fromOption = runSeen("demo", "--data-dir", dir.resolve("demo").toString(), "--port", "70000");
        Run notANumber = runSeen("demo", "--port", "seventy");

        assertThat(fromFile.code()).isEqualTo(2);
        assertThat(fromFile.lines()).singleElement().asString().startsWith("convene: ").contains("http.port");
        assertThat(fromOption.code()).isEqualTo(2);
        assertThat(fromOption.lines()).containsExactly("convene: --port 70000 is not a port: use 1 to 65535 (0 picks a free one)");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.lines()).singleElement().asString().startsWith("convene: ").contains("seventy", "--help");
    }

    @Test
    void import_members_with_data_dir_works_on_that_directory() throws Exception {
        Path data = dir.resolve("data-demo");
        long unit;
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            unit = app.unit("Chi bộ demo");
        }
        Path csv = Files.writeString(dir.resolve("ds.csv"), "Họ tên;Vai trò\nTrần Thị Lan;bí thư\n");

        Run r = runSeen("import-members", "--data-dir", data.toString(), "--unit", String.valueOf(unit), csv.toString());

        assertThat(r.code()).as(r.err()).isZero();
        try (TestConvene app = TestConvene.startIn(data, new MutableClock(TestConvene.START), Map.of(), c -> c)) {
            assertThat(app.api.get("/api/v1/units/" + unit + "/members").body().findValuesAsText("role")).containsExactly("secretary");
        }
    }

    @Test
    void a_short_admin_token_or_webhook_secret_stops_start_up_with_exit_2_naming_the_key() throws Exception {
        for (String[] bad : List.of(new String[] {"admin:\n  token: adm-sec-12345\n", "admin.token"},
                new String[] {"telegram:\n  webhookSecret: x\n", "telegram.webhookSecret"})) {
            Path file = dir.resolve("short.yaml");
            Files.writeString(file, "data:\n  dir: " + dir.resolve("data") + "\n" + bad[0]);
            StringWriter err = new StringWriter();
            int code = Main.commandLine().setErr(new PrintWriter(err)).execute("migrate", "--config", file.toString());
            assertThat(code).as(bad[1]).isEqualTo(2);
            assertThat(err.toString()).contains(bad[1]).doesNotContain("adm-sec-12345");
        }
    }
}
