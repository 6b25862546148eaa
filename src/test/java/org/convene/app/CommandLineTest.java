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
            Path copy = dir.resolve("copy.db");
            assertThat(run("backup", "--config", config.toString(), copy.toString())).as("while the service runs").isZero();
            try (Database backup = Database.sqlite(copy)) {
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
