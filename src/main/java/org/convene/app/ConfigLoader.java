package org.convene.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Requests.ReminderRequest;
import org.convene.schedule.Holiday;
import org.convene.schedule.PublicHolidays;
import org.convene.schedule.QuietHours;
import org.convene.schedule.SlotFinder;
import org.convene.schedule.ReminderPlan;
import org.convene.store.Leases;

/**
 * Reads {@code config/convene.yaml} (or the file given), then the {@code CONVENE_*} environment, which
 * wins. Every key is known: a misspelt key or a bad value stops start-up with a message naming it.
 */
public final class ConfigLoader {
    /** Each configuration key and the environment variable that overrides it. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("http.port", "CONVENE_HTTP_PORT");
        KEYS.put("data.dir", "CONVENE_DATA_DIR");
        KEYS.put("database.url", "CONVENE_DATABASE_URL");
        KEYS.put("database.user", "CONVENE_DATABASE_USER");
        KEYS.put("database.password", "CONVENE_DATABASE_PASSWORD");
        KEYS.put("admin.token", "CONVENE_ADMIN_TOKEN");
        KEYS.put("public.url", "CONVENE_PUBLIC_URL");
        KEYS.put("telegram.token", "CONVENE_TELEGRAM_TOKEN");
        KEYS.put("telegram.apiUrl", "CONVENE_TELEGRAM_API_URL");
        KEYS.put("telegram.mode", "CONVENE_TELEGRAM_MODE");
        KEYS.put("telegram.webhookSecret", "CONVENE_TELEGRAM_WEBHOOK_SECRET");
        KEYS.put("telegram.messagesPerSecond", "CONVENE_TELEGRAM_MESSAGES_PER_SECOND");
        KEYS.put("zalo.appId", "CONVENE_ZALO_APP_ID");
        KEYS.put("zalo.appSecret", "CONVENE_ZALO_APP_SECRET");
        KEYS.put("zalo.oaSecret", "CONVENE_ZALO_OA_SECRET");
        KEYS.put("zalo.refreshToken", "CONVENE_ZALO_REFRESH_TOKEN");
        KEYS.put("zalo.apiUrl", "CONVENE_ZALO_API_URL");
        KEYS.put("zalo.oauthUrl", "CONVENE_ZALO_OAUTH_URL");
        KEYS.put("zalo.messagesPerSecond", "CONVENE_ZALO_MESSAGES_PER_SECOND");
        KEYS.put("zalobot.token", "CONVENE_ZALOBOT_TOKEN");
        KEYS.put("zalobot.mode", "CONVENE_ZALOBOT_MODE");
        KEYS.put("zalobot.webhookSecret", "CONVENE_ZALOBOT_WEBHOOK_SECRET");
        KEYS.put("zalobot.apiUrl", "CONVENE_ZALOBOT_API_URL");
        KEYS.put("zalobot.messagesPerSecond", "CONVENE_ZALOBOT_MESSAGES_PER_SECOND");
        KEYS.put("local.enabled", "CONVENE_LOCAL_ENABLED");
        KEYS.put("local.keepDays", "CONVENE_LOCAL_KEEP_DAYS");
        KEYS.put("http.host", "CONVENE_HTTP_HOST");
        KEYS.put("local.ratePerSecond", "CONVENE_LOCAL_RATE_PER_SECOND");
        KEYS.put("materials.maxBytes", "CONVENE_MATERIALS_MAX_BYTES");
        KEYS.put("materials.pageDays", "CONVENE_MATERIALS_PAGE_DAYS");
        KEYS.put("reminders.defaultPlan", "CONVENE_REMINDERS_DEFAULT_PLAN");
        KEYS.put("reminders.quietHours", "CONVENE_REMINDERS_QUIET_HOURS");
        KEYS.put("reminders.maxPreroll", "CONVENE_REMINDERS_MAX_PREROLL");
        KEYS.put("defaults.timezone", "CONVENE_DEFAULT_TIMEZONE");
        KEYS.put("defaults.locale", "CONVENE_DEFAULT_LOCALE");
        KEYS.put("templates.dir", "CONVENE_TEMPLATES_DIR");
        KEYS.put("reports.target", "CONVENE_REPORTS_TARGET");
        KEYS.put("series.horizonWeeks", "CONVENE_SERIES_HORIZON_WEEKS");
        KEYS.put("holidays.country", "CONVENE_HOLIDAYS_COUNTRY");
        KEYS.put("holidays.tetDaysBefore", "CONVENE_HOLIDAYS_TET_DAYS_BEFORE");
        KEYS.put("holidays.tetLastDay", "CONVENE_HOLIDAYS_TET_LAST_DAY");
        KEYS.put("holidays.extra", "CONVENE_HOLIDAYS_EXTRA");
        KEYS.put("slots.evening", "CONVENE_SLOTS_EVENING");
        KEYS.put("slots.daytime", "CONVENE_SLOTS_DAYTIME");
        KEYS.put("web.sessionHours", "CONVENE_WEB_SESSION_HOURS");
        KEYS.put("cluster.leaseSeconds", "CONVENE_CLUSTER_LEASE_SECONDS");
        KEYS.put("limits.importRows", "CONVENE_LIMITS_IMPORT_ROWS");
        KEYS.put("limits.meetingsPerDay", "CONVENE_LIMITS_MEETINGS_PER_DAY");
        KEYS.put("limits.activeSeries", "CONVENE_LIMITS_ACTIVE_SERIES");
        KEYS.put("limits.remindersPerMeeting", "CONVENE_LIMITS_REMINDERS_PER_MEETING");
        KEYS.put("limits.chats", "CONVENE_LIMITS_CHATS");
        KEYS.put("limits.chasesPerHour", "CONVENE_LIMITS_CHASES_PER_HOUR");
        KEYS.put("limits.failuresPerMinute", "CONVENE_LIMITS_FAILURES_PER_MINUTE");
    }

    /** A configuration that cannot be used, naming the key. */
    public static final class BadConfig extends RuntimeException {
        BadConfig(String message) {
            super(message);
        }
    }

    private ConfigLoader() {}

    /** @param file the YAML file, or null for none (a missing default file is fine, a missing named one is not) */
    public static Config load(Path file, boolean fileNamed, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null && Files.exists(file)) {
            values.putAll(readYaml(file));
        } else if (fileNamed) {
            throw new BadConfig("the configuration file " + file + " does not exist");
        }
        KEYS.forEach((key, variable) -> {
            String v = env.get(variable);
            if (v != null && !v.isEmpty()) values.put(key, v);
        });
        return build(values, file == null ? "environment" : file.toString());
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new BadConfig("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) throw new BadConfig(file + ": the top level must be a map of keys");
            flatten("", root, flat, file);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out, file);
            } else if (!KEYS.containsKey(key)) {
                throw new BadConfig(file + ": unknown key '" + key + "' (known keys: " + String.join(", ", KEYS.keySet()) + ")");
            } else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(i -> items.add(i.asText()));
                out.put(key, String.join(",", items));
            } else if (!v.isNull()) {
                out.put(key, v.asText());
            }
        }
    }

    private static Config build(Map<String, String> v, String source) {
        int port = integer(v, "http.port", 7070, 0, 65535);
        Path dataDir = Path.of(v.getOrDefault("data.dir", "./data"));
        String dbUrl = v.get("database.url");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw bad("database.url", "must start with jdbc:sqlite: or jdbc:postgresql:", dbUrl);
        }
        String mode = v.getOrDefault("telegram.mode", "webhook");
        if (!mode.equals("webhook") && !mode.equals("polling")) throw bad("telegram.mode", "must be webhook or polling", mode);
        String secret = v.get("telegram.webhookSecret");
        if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
            throw bad("telegram.webhookSecret", "must be 1–256 characters of A-Z a-z 0-9 _ -", "(hidden)");
        }
        // short secrets can be guessed; generated ones are far longer than these minimums
        if (secret != null && secret.length() < 16) throw bad("telegram.webhookSecret", "must be at least 16 characters", "(hidden)");
        String admin = v.get("admin.token");
        if (admin != null && !admin.isBlank() && admin.strip().length() < 32) {
            throw bad("admin.token", "must be at least 32 characters (leave it unset to have one generated)", "(hidden)");
        }
        double telegramRate = decimal(v, "telegram.messagesPerSecond", 30);
        if (telegramRate < 1 || telegramRate > 1000) throw bad("telegram.messagesPerSecond", "must be between 1 and 1000 (paid broadcast)", v.get("telegram.messagesPerSecond"));
        String publicUrl = v.get("public.url");
        if (publicUrl != null && !publicUrl.matches("https?://.+")) throw bad("public.url", "must start with http:// or https://", publicUrl);
        // the local chat acts as any member without a chat app: for the demo and tests, never on by surprise
        boolean localEnabled = bool(v, "local.enabled", false);
        int keepDays = integer(v, "local.keepDays", 7, 1, 365);
        String host = v.get("http.host");
        if (host != null && !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) throw bad("http.host", "must be an address or host name such as 127.0.0.1", host);
        double rate = decimal(v, "local.ratePerSecond", 0);
        long maxBytes = longValue(v, "materials.maxBytes", 20L * 1024 * 1024, 1024, 2L * 1024 * 1024 * 1024);
        List<String> plan = List.of(v.getOrDefault("reminders.defaultPlan", "P3D agenda,P1D reminder,PT2H reminder").split("\\s*,\\s*"));
        try {
            ReminderPlan.parse(plan.stream().map(ConfigLoader::planEntry).toList());
        } catch (ConveneException.Invalid e) {
            throw bad("reminders.defaultPlan", e.getMessage() + "; write e.g. \"P3D agenda, P1D reminder, PT2H reminder\"", v.get("reminders.defaultPlan"));
        }
        QuietHours quiet = quietHours(v.getOrDefault("reminders.quietHours", "21:30-06:30"));
        java.time.Duration preroll;
        try {
            preroll = java.time.Duration.parse(v.getOrDefault("reminders.maxPreroll", "PT1H"));
        } catch (DateTimeException e) {
            throw bad("reminders.maxPreroll", "must be an ISO-8601 duration such as PT1H or PT0S", v.get("reminders.maxPreroll"));
        }
        if (preroll.isNegative() || preroll.compareTo(java.time.Duration.ofHours(6)) > 0) {
            throw bad("reminders.maxPreroll", "must be between PT0S and PT6H", v.get("reminders.maxPreroll"));
        }
        String zone = v.getOrDefault("defaults.timezone", "Asia/Ho_Chi_Minh");
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw bad("defaults.timezone", "is not a time zone", zone);
        }
        String locale = v.getOrDefault("defaults.locale", "vi");
        if (!locale.equals("vi") && !locale.equals("en")) throw bad("defaults.locale", "must be vi or en", locale);
        double target = decimal(v, "reports.target", 0.9);
        if (target > 1) throw bad("reports.target", "is a share between 0 and 1 (0.9 = 90%)", v.get("reports.target"));
        int sessionHours = integer(v, "web.sessionHours", 12, 1, 24 * 30);
        int leaseSeconds = integer(v, "cluster.leaseSeconds", (int) Leases.TIME_TO_LIVE.toSeconds(), 3, 300);
        int pageDays = integer(v, "materials.pageDays", (int) org.convene.meeting.MaterialsPageService.DEFAULT_VALID_AFTER.toDays(), 0, 365);
        Path templates = v.containsKey("templates.dir") ? Path.of(v.get("templates.dir")) : Path.of("templates");
        return new Config(port, dataDir, dbUrl, v.get("database.user"), v.get("database.password"), v.get("admin.token"),
                publicUrl, new Config.Telegram(v.get("telegram.token"), v.getOrDefault("telegram.apiUrl", "https://api.telegram.org"), mode, secret,
                        telegramRate),
                zalo(v), new Config.Local(localEnabled, rate, keepDays), maxBytes, plan, quiet, preroll, zone, locale, target, templates, calendar(v), sessionHours,
                leaseSeconds, pageDays, zalobot(v), host == null || host.isBlank() ? null : host.strip(), limits(v));
    }

    /** Per-unit quotas and per-address guessing limits; the defaults are in {@link Config.Limits#DEFAULT}. */
    private static Config.Limits limits(Map<String, String> v) {
        Config.Limits d = Config.Limits.DEFAULT;
        org.convene.meeting.Quotas q = d.quotas();
        return new Config.Limits(integer(v, "limits.importRows", d.importRows(), 1, 1_000_000),
                integer(v, "limits.failuresPerMinute", d.failuresPerMinute(), 1, 1_000_000),
                new org.convene.meeting.Quotas(integer(v, "limits.meetingsPerDay", q.meetingsPerDay(), 1, 1_000_000),
                        integer(v, "limits.activeSeries", q.activeSeries(), 1, 100_000),
                        integer(v, "limits.remindersPerMeeting", q.remindersPerMeeting(), 1, 1000),
                        integer(v, "limits.chats", q.chats(), 1, 100_000),
                        integer(v, "limits.chasesPerHour", q.chasesPerHour(), 1, 10_000)));
    }

    /** Zalo is on when {@code zalo.appId} is set; then its secrets and first refresh token must be set too. */
    private static Config.Zalo zalo(Map<String, String> v) {
        String appId = v.get("zalo.appId");
        double rate = decimal(v, "zalo.messagesPerSecond", 5);
        if (rate <= 0 || rate > 100) throw bad("zalo.messagesPerSecond", "must be more than 0 and at most 100", v.get("zalo.messagesPerSecond"));
        String apiUrl = v.getOrDefault("zalo.apiUrl", "https://openapi.zalo.me");
        String oauthUrl = v.getOrDefault("zalo.oauthUrl", "https://oauth.zaloapp.com");
        if (!apiUrl.matches("https?://.+")) throw bad("zalo.apiUrl", "must start with http:// or https://", apiUrl);
        if (!oauthUrl.matches("https?://.+")) throw bad("zalo.oauthUrl", "must start with http:// or https://", oauthUrl);
        if (appId != null && !appId.isBlank()) {
            if (!appId.strip().matches("[0-9]{1,32}")) throw bad("zalo.appId", "must be the Zalo app's numeric id", appId);
            for (String key : List.of("zalo.appSecret", "zalo.oaSecret", "zalo.refreshToken")) {
                if (v.get(key) == null || v.get(key).isBlank()) throw bad(key, "must be set when zalo.appId is set", "(nothing)");
            }
        }
        return new Config.Zalo(appId == null ? null : appId.strip(), v.get("zalo.appSecret"), v.get("zalo.oaSecret"), v.get("zalo.refreshToken"),
                apiUrl, oauthUrl, rate);
    }

    /** The Zalo Bot Platform is on when {@code zalobot.token} is set. */
    private static Config.ZaloBot zalobot(Map<String, String> v) {
        String token = v.get("zalobot.token");
        if (token != null && !token.isBlank() && !token.strip().matches("[^:\\s/]+:[^\\s/]+")) {
            throw bad("zalobot.token", "must be the bot token from Zalo Bot Creator, <bot_id>:<secret>", "(hidden)");
        }
        String mode = v.getOrDefault("zalobot.mode", "webhook");
        if (!mode.equals("webhook") && !mode.equals("polling")) throw bad("zalobot.mode", "must be webhook or polling", mode);
        String secret = v.get("zalobot.webhookSecret");
        if (secret != null && (secret.length() < 8 || secret.length() > 256 || secret.chars().anyMatch(Character::isWhitespace))) {
            throw bad("zalobot.webhookSecret", "must be 8–256 characters without blanks (Zalo's secret_token)", "(hidden)");
        }
        String apiUrl = v.getOrDefault("zalobot.apiUrl", Config.ZaloBot.OFF.apiUrl());
        if (!apiUrl.matches("https?://.+")) throw bad("zalobot.apiUrl", "must start with http:// or https://", apiUrl);
        double rate = decimal(v, "zalobot.messagesPerSecond", Config.ZaloBot.OFF.messagesPerSecond());
        if (rate <= 0 || rate > 100) throw bad("zalobot.messagesPerSecond", "must be more than 0 and at most 100", v.get("zalobot.messagesPerSecond"));
        return new Config.ZaloBot(token == null || token.isBlank() ? null : token.strip(), apiUrl, mode, secret, rate);
    }

    /** Series, holidays and free slots. */
    private static Config.CalendarSettings calendar(Map<String, String> v) {
        int horizon = integer(v, "series.horizonWeeks", 8, 1, 104);
        String country = v.getOrDefault("holidays.country", "VN").strip().toUpperCase(java.util.Locale.ROOT);
        if (!PublicHolidays.COUNTRIES.contains(country)) throw bad("holidays.country", "must be one of " + PublicHolidays.COUNTRIES, country);
        int before = integer(v, "holidays.tetDaysBefore", 1, 0, 10);
        int lastDay = integer(v, "holidays.tetLastDay", 5, 1, 15);
        List<Holiday> extra = new ArrayList<>();
        for (String item : list(v.get("holidays.extra"))) {
            try {
                extra.add(PublicHolidays.parseExtra(item));
            } catch (IllegalArgumentException e) {
                throw bad("holidays.extra", e.getMessage(), item);
            }
        }
        SlotFinder.Window evening;
        List<SlotFinder.Window> daytime = new ArrayList<>();
        try {
            evening = SlotFinder.Window.parse(v.getOrDefault("slots.evening", "19:00-21:30"));
        } catch (RuntimeException e) {
            throw bad("slots.evening", "must be HH:MM-HH:MM within one day, e.g. 19:00-21:30", v.get("slots.evening"));
        }
        String day = v.getOrDefault("slots.daytime", "08:00-11:30,14:00-17:00");
        try {
            for (String w : list(day)) daytime.add(SlotFinder.Window.parse(w));
        } catch (RuntimeException e) {
            throw bad("slots.daytime", "must be windows HH:MM-HH:MM within one day, e.g. [\"08:00-11:30\", \"14:00-17:00\"]", day);
        }
        return new Config.CalendarSettings(horizon, new PublicHolidays.Settings(country, before, lastDay, extra),
                new SlotFinder.Windows(evening, daytime));
    }

    /** A YAML list arrives joined with commas (as the environment variable is written); blank means empty. */
    private static List<String> list(String joined) {
        if (joined == null || joined.isBlank()) return List.of();
        return java.util.Arrays.stream(joined.split("\\s*,\\s*")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** "P3D agenda" → offset P3D, kind agenda; a bare "PT2H" leaves the kind to its position. */
    public static ReminderRequest planEntry(String text) {
        String[] parts = text.strip().split("\\s+");
        return new ReminderRequest(parts[0], parts.length > 1 ? parts[1] : null);
    }

    static QuietHours quietHours(String text) {
        if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("none")) return QuietHours.NONE;
        String[] parts = text.split("\\s*-\\s*");
        try {
            if (parts.length != 2) throw new DateTimeException("two times");
            return new QuietHours(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        } catch (DateTimeException e) {
            throw bad("reminders.quietHours", "must be HH:MM-HH:MM (e.g. 21:30-06:30) or off", text);
        }
    }

    private static int integer(Map<String, String> v, String key, int fallback, int min, int max) {
        return (int) longValue(v, key, fallback, min, max);
    }

    private static long longValue(Map<String, String> v, String key, long fallback, long min, long max) {
        String s = v.get(key);
        if (s == null) return fallback;
        try {
            long n = Long.parseLong(s.strip());
            if (n < min || n > max) throw bad(key, "must be between " + min + " and " + max, s);
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number", s);
        }
    }

    private static double decimal(Map<String, String> v, String key, double fallback) {
        String s = v.get(key);
        if (s == null) return fallback;
        try {
            double d = Double.parseDouble(s.strip());
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) throw bad(key, "must be 0 (no limit) or more", s);
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number", s);
        }
    }

    private static boolean bool(Map<String, String> v, String key, boolean fallback) {
        String s = v.get(key);
        if (s == null) return fallback;
        return switch (s.strip().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, "must be true or false", s);
        };
    }

    private static BadConfig bad(String key, String problem, String value) {
        return new BadConfig("configuration key '" + key + "' (env " + KEYS.get(key) + ") " + problem + "; got: " + value);
    }
}
