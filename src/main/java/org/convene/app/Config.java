package org.convene.app;

import java.nio.file.Path;
import java.util.List;
import org.convene.schedule.QuietHours;

/** The whole configuration, after the file and the environment were read and checked. */
public record Config(int httpPort, Path dataDir, String databaseUrl, String databaseUser, String databasePassword,
                     String adminToken, String publicUrl, Telegram telegram, Zalo zalo, Local local, long materialsMaxBytes,
                     List<String> defaultPlan, QuietHours quietHours, java.time.Duration maxPreroll, String defaultTimezone, String defaultLocale,
                     double reportTarget, Path templatesDir, CalendarSettings calendar, int sessionHours,
                     int leaseSeconds, int materialsPageDays, ZaloBot zalobot, String httpHost, Limits limits) {

    /**
     * What one client address, one import and one unit may do (see {@link org.convene.meeting.Quotas}).
     *
     * @param importRows        rows in one member import
     * @param failuresPerMinute failed sign-ins, tokens and codes from one client address per minute
     */
    public record Limits(int importRows, int failuresPerMinute, org.convene.meeting.Quotas quotas) {
        public static final Limits DEFAULT = new Limits(5000, 20, org.convene.meeting.Quotas.GENEROUS);
    }

    /** Recurring series (how many weeks ahead they make meetings), holidays and free-slot windows. */
    public record CalendarSettings(int horizonWeeks, org.convene.schedule.PublicHolidays.Settings holidays,
                                   org.convene.schedule.SlotFinder.Windows slots) {}

    /** @param messagesPerSecond the bot's declared sending rate (Telegram: about 30; paid broadcast up to 1000) */
    public record Telegram(String token, String apiUrl, String mode, String webhookSecret, double messagesPerSecond) {
        public boolean enabled() {
            return token != null && !token.isBlank();
        }

        /** Never the token or the secret: a record prints itself in logs and assertion messages. */
        @Override
        public String toString() {
            return "Telegram[token=" + (enabled() ? "<redacted>" : "none") + ", apiUrl=" + apiUrl + ", mode=" + mode
                    + ", webhookSecret=" + (webhookSecret == null ? "none" : "<redacted>") + ", messagesPerSecond=" + messagesPerSecond + "]";
        }
    }

    /**
     * A Zalo Official Account reached through OpenAPI v3 and its group chats (GMF).
     *
     * @param appSecret    the Zalo app's secret key, sent as {@code secret_key} when the access token is refreshed
     * @param oaSecret     the OA secret key, which signs webhook events ({@code X-ZEvent-Signature})
     * @param refreshToken the first refresh token, from the OA admin's authorisation; used only while none is stored
     * @param messagesPerSecond Convene's own pace: Zalo publishes no limit
     */
    public record Zalo(String appId, String appSecret, String oaSecret, String refreshToken, String apiUrl, String oauthUrl,
                       double messagesPerSecond) {
        public boolean enabled() {
            return appId != null && !appId.isBlank();
        }

        /** Never the secrets or the token: a record prints itself in logs and assertion messages. */
        @Override
        public String toString() {
            return "Zalo[appId=" + (enabled() ? appId : "none") + ", appSecret=" + hidden(appSecret) + ", oaSecret=" + hidden(oaSecret)
                    + ", refreshToken=" + hidden(refreshToken) + ", apiUrl=" + apiUrl + ", oauthUrl=" + oauthUrl
                    + ", messagesPerSecond=" + messagesPerSecond + "]";
        }

        private static String hidden(String secret) {
            return secret == null ? "none" : "<redacted>";
        }
    }

    /**
     * A bot of Zalo's Bot Platform (made in the Zalo app with Zalo Bot Creator).
     *
     * @param token the bot token {@code <bot_id>:<secret>}; the platform is off without it
     * @param mode {@code webhook} or {@code polling}
     * @param webhookSecret compared with {@code X-Bot-Api-Secret-Token}; null for one generated and kept
     * @param messagesPerSecond Convene's own pace: Zalo publishes no limit
     */
    public record ZaloBot(String token, String apiUrl, String mode, String webhookSecret, double messagesPerSecond) {
        public static final ZaloBot OFF = new ZaloBot(null, "https://bot-api.zaloplatforms.com", "webhook", null, 5);

        public boolean enabled() {
            return token != null && !token.isBlank();
        }

        /** Never the token or the secret: a record prints itself in logs and assertion messages. */
        @Override
        public String toString() {
            return "ZaloBot[token=" + (enabled() ? "<redacted>" : "none") + ", apiUrl=" + apiUrl + ", mode=" + mode
                    + ", webhookSecret=" + (webhookSecret == null ? "none" : "<redacted>") + ", messagesPerSecond=" + messagesPerSecond + "]";
        }
    }

    /**
     * The built-in local chat, for the demo and tests: off in {@code serve} unless set.
     *
     * @param keepDays its messages older than this are deleted, so that it cannot fill the disk
     */
    public record Local(boolean enabled, double ratePerSecond, int keepDays) {}

    /** Listens on this address only ({@code http.host}); null for every address. */
    public Config withHttpHost(String host) {
        return new Config(httpPort, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, publicUrl, telegram, zalo, local,
                materialsMaxBytes, defaultPlan, quietHours, maxPreroll, defaultTimezone, defaultLocale, reportTarget, templatesDir, calendar, sessionHours,
                leaseSeconds, materialsPageDays, zalobot, host, limits);
    }

    public String effectiveDatabaseUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + dataDir.resolve("convene.db").toAbsolutePath();
    }

    public String effectivePublicUrl(int actualPort) {
        return publicUrl != null ? publicUrl.replaceAll("/+$", "") : "http://localhost:" + actualPort;
    }

    public Config withHttpPort(int port) {
        return new Config(port, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, publicUrl, telegram, zalo, local,
                materialsMaxBytes, defaultPlan, quietHours, maxPreroll, defaultTimezone, defaultLocale, reportTarget, templatesDir, calendar, sessionHours,
                leaseSeconds, materialsPageDays, zalobot, httpHost, limits);
    }

    public Config withQuietHours(QuietHours quiet) {
        return new Config(httpPort, dataDir, databaseUrl, databaseUser, databasePassword, adminToken, publicUrl, telegram, zalo, local,
                materialsMaxBytes, defaultPlan, quiet, maxPreroll, defaultTimezone, defaultLocale, reportTarget, templatesDir, calendar, sessionHours,
                leaseSeconds, materialsPageDays, zalobot, httpHost, limits);
    }

    public Config withAdminToken(String token) {
        return new Config(httpPort, dataDir, databaseUrl, databaseUser, databasePassword, token, publicUrl, telegram, zalo, local,
                materialsMaxBytes, defaultPlan, quietHours, maxPreroll, defaultTimezone, defaultLocale, reportTarget, templatesDir, calendar, sessionHours,
                leaseSeconds, materialsPageDays, zalobot, httpHost, limits);
    }
}
