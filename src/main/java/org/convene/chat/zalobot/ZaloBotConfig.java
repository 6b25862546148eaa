package org.convene.chat.zalobot;

import java.util.Objects;

/**
 * What the Zalo Bot adapter needs from the configuration.
 *
 * @param token         the bot token {@code <bot_id>:<secret>} that Zalo Bot Creator sent as a Zalo message
 * @param apiUrl        the Bot API base URL, {@code https://bot-api.zaloplatforms.com} (a test double in tests)
 * @param webhookSecret the configured {@code secret_token} (8–256 characters), or null for one generated once and kept
 * @param messagesPerSecond Convene's own pace for the bot: Zalo publishes no limit for the Bot Platform
 */
public record ZaloBotConfig(String token, String apiUrl, Mode mode, String webhookSecret, double messagesPerSecond) {
    /** Convene's cautious pace when none is configured: Zalo publishes no limit. */
    public static final double DEFAULT_MESSAGES_PER_SECOND = 5;

    /** How events come in: pushed to our webhook, or fetched by long polling (the two exclude each other). */
    public enum Mode {
        WEBHOOK, POLLING;

        public static Mode of(String text) {
            return "polling".equalsIgnoreCase(text) ? POLLING : WEBHOOK;
        }
    }

    public ZaloBotConfig {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(mode, "mode");
        if (!(messagesPerSecond > 0)) throw new IllegalArgumentException("messagesPerSecond must be positive");
        if (webhookSecret != null && (webhookSecret.length() < 8 || webhookSecret.length() > 256)) {
            throw new IllegalArgumentException("the webhook secret must have 8 to 256 characters");
        }
    }

    /** Never the token or the secret: records print themselves in logs and assertion messages. */
    @Override
    public String toString() {
        return "ZaloBotConfig[apiUrl=" + apiUrl + ", mode=" + mode + ", token=<redacted>, webhookSecret="
                + (webhookSecret == null ? "generated" : "<redacted>") + ", messagesPerSecond=" + messagesPerSecond + "]";
    }
}
