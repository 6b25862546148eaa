package org.convene.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Map;
import org.convene.schedule.QuietHours;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up reads a YAML file and the CONVENE_* environment: defaults when both are silent, the environment
 * over the file, and every wrong key or value stops the service with a message naming the key.
 */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaults_apply_when_neither_file_nor_environment_says_anything() {
        Config config = ConfigLoader.load(null, false, Map.of());

        assertThat(config.httpPort()).isEqualTo(7070);
        assertThat(config.quietHours()).isEqualTo(new QuietHours(LocalTime.of(21, 30), LocalTime.of(6, 30)));
        assertThat(config.defaultPlan()).containsExactly("P3D agenda", "P1D reminder", "PT2H reminder");
        assertThat(config.defaultTimezone()).isEqualTo("Asia/Ho_Chi_Minh");
        assertThat(config.defaultLocale()).isEqualTo("vi");
        assertThat(config.materialsMaxBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(config.local().enabled()).as("the local chat is for the demo and tests").isFalse();
        assertThat(config.telegram().enabled()).isFalse();
        assertThat(config.telegram().messagesPerSecond()).isEqualTo(30);
    }

    @Test
    void a_paid_broadcast_bot_declares_its_higher_rate_and_a_rate_beyond_it_is_refused() {
        Config paid = ConfigLoader.load(null, false, Map.of("CONVENE_TELEGRAM_MESSAGES_PER_SECOND", "1000"));
        assertThat(paid.telegram().messagesPerSecond()).isEqualTo(1000);

        assertThatThrownBy(() -> ConfigLoader.load(null, false, Map.of("CONVENE_TELEGRAM_MESSAGES_PER_SECOND", "5000")))
                .hasMessageContaining("telegram.messagesPerSecond").hasMessageContaining("between 1 and 1000");
    }

    @Test
    void zalo_is_off_by_default_with_the_public_addresses_and_a_cautious_rate() {
        Config.Zalo zalo = ConfigLoader.load(null, false, Map.of()).zalo();

        assertThat(zalo.enabled()).isFalse();
        assertThat(zalo.apiUrl()).isEqualTo("https://openapi.zalo.me");
        assertThat(zalo.oauthUrl()).isEqualTo("https://oauth.zaloapp.com");
        assertThat(zalo.messagesPerSecond()).isEqualTo(5);
    }

    @Test
    void zalo_with_an_app_id_needs_its_secrets_and_names_the_missing_key() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CONVENE_ZALO_APP_ID", "1234567890123456789",
                "CONVENE_ZALO_APP_SECRET", "app-secret", "CONVENE_ZALO_OA_SECRET", "oa-secret"));
        assertThatThrownBy(() -> ConfigLoader.load(null, false, env))
                .isInstanceOf(ConfigLoader.BadConfig.class).hasMessageContaining("zalo.refreshToken")
                .hasMessageContaining("CONVENE_ZALO_REFRESH_TOKEN");

        env.put("CONVENE_ZALO_REFRESH_TOKEN", "first-refresh-token");
        Config.Zalo zalo = ConfigLoader.load(null, false, env).zalo();
        assertThat(zalo.enabled()).isTrue();
        assertThat(zalo.refreshToken()).isEqualTo("first-refresh-token");
        assertThat(zalo.toString()).contains("1234567890123456789")
                .doesNotContain("app-secret").doesNotContain("oa-secret").doesNotContain("first-refresh-token");
    }

    @Test
    void a_missing_default_file_is_the_same_as_no_file() {
        Config config = ConfigLoader.load(dir.resolve("convene.yaml"), false, Map.of());

        assertThat(config).isEqualTo(ConfigLoader.load(null, false, Map.of()));
    }

    @Test
    void values_in_the_file_replace_the_defaults() throws IOException {
        Path file = yaml("""
                http:
                  port: 8080
                reminders:
                  defaultPlan: ["P2D agenda", "PT3H reminder"]
                  quietHours: "22:00-06:00"
                defaults:
                  timezone: Asia/Tokyo
                  locale: en
                database:
                  url:
                """);

        Config config = ConfigLoader.load(file, true, Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.defaultPlan()).containsExactly("P2D agenda", "PT3H reminder");
        assertThat(config.quietHours()).isEqualTo(new QuietHours(LocalTime.of(22, 0), LocalTime.of(6, 0)));
        assertThat(config.defaultTimezone()).isEqualTo("Asia/Tokyo");
        assertThat(config.defaultLocale()).isEqualTo("en");
        assertThat(config.databaseUrl()).isNull();
    }

    @Test
    void the_environment_wins_over_the_file() throws IOException {
        Path file = yaml("""
                http:
                  port: 8080
                defaults:
                  timezone: Asia/Tokyo
                  locale: en
                """);

        Config config = ConfigLoader.load(file, true, Map.of(
                "CONVENE_HTTP_PORT", "9090", "CONVENE_DEFAULT_LOCALE", "vi", "CONVENE_REMINDERS_QUIET_HOURS", "off"));

        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.defaultLocale()).isEqualTo("vi");
        assertThat(config.quietHours()).isEqualTo(QuietHours.NONE);
        assertThat(config.defaultTimezone()).as("not overridden, so the file's").isEqualTo("Asia/Tokyo");
    }

    @Test
    void an_empty_environment_variable_leaves_the_file_value() throws IOException {
        Path file = yaml("http:\n  port: 8080\n");

        Config config = ConfigLoader.load(file, true, Map.of("CONVENE_HTTP_PORT", ""));

        assertThat(config.httpPort()).isEqualTo(8080);
    }

    @Test
    void a_port_out_of_range_is_refused_naming_the_key() throws IOException {
        assertRefused(yaml("http:\n  port: 70000\n"), Map.of(), "http.port");
    }

    @Test
    void a_port_that_is_not_a_number_in_the_environment_is_refused_naming_the_key_and_variable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, false, Map.of("CONVENE_HTTP_PORT", "seven")))
                .isInstanceOf(ConfigLoader.BadConfig.class)
                .hasMessageContaining("'http.port'")
                .hasMessageContaining("CONVENE_HTTP_PORT")
                .hasMessageContaining("seven");
    }

    @Test
    void a_time_zone_that_does_not_exist_is_refused_naming_the_key() throws IOException {
        assertRefused(yaml("defaults:\n  timezone: Asia/Hanoi\n"), Map.of(), "defaults.timezone");
    }

    @Test
    void quiet_hours_that_are_not_two_times_are_refused_naming_the_key() throws IOException {
        assertRefused(yaml("reminders:\n  quietHours: \"21:30\"\n"), Map.of(), "reminders.quietHours");
        assertRefused(null, Map.of("CONVENE_REMINDERS_QUIET_HOURS", "9pm-6am"), "reminders.quietHours");
        assertRefused(null, Map.of("CONVENE_REMINDERS_QUIET_HOURS", "21:30-25:00"), "reminders.quietHours");
    }

    @Test
    void a_misspelt_key_is_refused_naming_it() throws IOException {
        assertRefused(yaml("http:\n  prot: 7070\n"), Map.of(), "http.prot");
    }

    @Test
    void a_locale_other_than_vi_or_en_is_refused_naming_the_key() throws IOException {
        assertRefused(yaml("defaults:\n  locale: fr\n"), Map.of(), "defaults.locale");
    }

    @Test
    void a_boolean_that_is_neither_true_nor_false_is_refused_naming_the_key() throws IOException {
        assertRefused(yaml("local:\n  enabled: maybe\n"), Map.of(), "local.enabled");
    }

    @Test
    void a_named_file_that_does_not_exist_is_an_error() {
        Path missing = dir.resolve("khong-co.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, true, Map.of()))
                .isInstanceOf(ConfigLoader.BadConfig.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void series_holidays_and_slots_read_their_keys_and_lists() throws IOException {
        Path file = yaml("""
                series:
                  horizonWeeks: 12
                holidays:
                  tetDaysBefore: 2
                  tetLastDay: 6
                  extra: ["2027-09-03 Quốc khánh (nghỉ thêm)", "2027-04-29 Nghỉ bù"]
                slots:
                  evening: "18:30-21:00"
                """);

        Config config = ConfigLoader.load(file, true, Map.of("CONVENE_SLOTS_DAYTIME", "07:30-11:00"));

        assertThat(config.calendar().horizonWeeks()).isEqualTo(12);
        assertThat(config.calendar().holidays().tetDaysBefore()).isEqualTo(2);
        assertThat(config.calendar().holidays().tetLastDay()).isEqualTo(6);
        assertThat(config.calendar().holidays().extra()).extracting(h -> h.date() + " " + h.name())
                .containsExactly("2027-09-03 Quốc khánh (nghỉ thêm)", "2027-04-29 Nghỉ bù");
        assertThat(config.calendar().slots().evening()).hasToString("18:30-21:00");
        assertThat(config.calendar().slots().daytime()).extracting(Object::toString).containsExactly("07:30-11:00");
    }

    @Test
    void a_bad_extra_holiday_or_slot_window_is_refused_naming_the_key() throws IOException {
        assertRefused(yaml("holidays:\n  extra: [\"3/9 Quốc khánh\"]\n"), Map.of(), "holidays.extra");
        assertRefused(null, Map.of("CONVENE_SLOTS_EVENING", "21:30-19:00"), "slots.evening");
        assertRefused(null, Map.of("CONVENE_HOLIDAYS_COUNTRY", "FR"), "holidays.country");
        assertRefused(null, Map.of("CONVENE_SERIES_HORIZON_WEEKS", "0"), "series.horizonWeeks");
    }

    @Test
    void the_cluster_lease_is_read_and_one_too_short_to_renew_is_refused() {
        assertThat(ConfigLoader.load(null, false, Map.of()).leaseSeconds()).isEqualTo(15);
        assertThat(ConfigLoader.load(null, false, Map.of("CONVENE_CLUSTER_LEASE_SECONDS", "30")).leaseSeconds()).isEqualTo(30);
        assertThatThrownBy(() -> ConfigLoader.load(null, false, Map.of("CONVENE_CLUSTER_LEASE_SECONDS", "1")))
                .hasMessageContaining("cluster.leaseSeconds").hasMessageContaining("between 3 and 300");
    }

    /** The example in the repository must start the service as written, and its values are the defaults it documents. */
    @Test
    void the_example_configuration_loads_and_sets_the_documented_defaults() {
        Config example = ConfigLoader.load(Path.of("config/convene.example.yaml"), true, Map.of());

        assertThat(example).isEqualTo(ConfigLoader.load(null, false, Map.of()));
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("convene.yaml"), text);
    }

    private static void assertRefused(Path file, Map<String, String> env, String key) {
        assertThatThrownBy(() -> ConfigLoader.load(file, file != null, env))
                .isInstanceOf(ConfigLoader.BadConfig.class)
                .hasMessageContaining("'" + key + "'");
    }
}
