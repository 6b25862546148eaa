package org.convene.chat.telegram;

import java.util.Objects;

/**
 * What the Telegram adapter needs from the configuration.
 *
 * @param apiUrl         the Bot API base URL ({@code https://api.telegram.org}, a local Bot API server or a test double)
 * @param webhookSecret  the configured {@code secret_token}, or null to use one generated once and kept in the database
 * @param messagesPerSecond the bot's sending rate: about 30 for an ordinary bot, up to 1000 with paid broadcast
 */
public record TelegramConfig(String token, String apiUrl, Mode mode, String webhookSecret, double messagesPerSecond) {
    /** How updates come in: pushed to our webhook, or fetched by long polling. */
    public enum Mode {
        WEBHOOK, POLLING;

        public static Mode of(String text) {
            return "polling".equalsIgnoreCase(text) ? POLLING : WEBHOOK;
        }
    }

    public TelegramConfig {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(mode, "mode");
        if (!(messagesPerSecond > 0)) throw new IllegalArgumentException("messagesPerSecond must be positive");
    }

    /** An ordinary bot: about 30 messages a second (bots/faq). */
    public TelegramConfig(String token, String apiUrl, Mode mode, String webhookSecret) {
        this(token, apiUrl, mode, webhookSecret, TelegramPlatform.DEFAULT_MESSAGES_PER_SECOND);
    }

    /** Never the token: records print themselves in logs and assertion messages. */
    @Override
    public String toString() {
        return "TelegramConfig[apiUrl=" + apiUrl + ", mode=" + mode + ", token=<redacted>, webhookSecret="
                + (webhookSecret == null ? "generated" : "<redacted>") + ", messagesPerSecond=" + messagesPerSecond + "]";
    }
}
