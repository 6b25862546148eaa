package org.convene.chat.telegram;

import java.time.Clock;
import java.util.Optional;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.convene.chat.InboundHandler;
import org.convene.store.Leases;
import org.convene.store.Settings;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telegram as the wiring sees it: one bot, its platform, and its way in (the webhook's routes or the
 * poller). Built before the HTTP server, started after it (Telegram may push at once), closed before it.
 */
public final class TelegramBot implements AutoCloseable {
    static final String SECRET_SETTING = "telegram-webhook-secret";
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);

    private final TelegramConfig config;
    private final TelegramClient client;
    private final TelegramPlatform platform;
    private final String username;
    private final Jdbi jdbi;
    private final Writes writes;
    private final Leases leases;
    private final Clock clock;
    private final Settings settings;
    private final String webhookSecret;
    private TelegramRoutes routes;
    private TelegramPoller poller;

    /** Asks getMe who the bot is; a token Telegram refuses stops start-up here, with the reason. */
    public TelegramBot(TelegramConfig config, OkHttpClient http, Jdbi jdbi, Clock clock, Settings settings, RandomGenerator random) {
        this(config, http, jdbi, Writes.direct(jdbi), Leases.sole(jdbi, clock), clock, settings, random);
    }

    /**
     * @param writes where update ids are taken in: the group commit, beside the answers they carry
     * @param leases this node's leases: of several nodes, one at a time long-polls (Telegram allows one getUpdates)
     */
    public TelegramBot(TelegramConfig config, OkHttpClient http, Jdbi jdbi, Writes writes, Leases leases, Clock clock, Settings settings,
                       RandomGenerator random) {
        this.config = config;
        this.leases = leases;
        this.jdbi = jdbi;
        this.writes = writes;
        this.clock = clock;
        this.settings = settings;
        this.client = new TelegramClient(http, config.apiUrl(), config.token());
        String fromToken = config.token().contains(":") ? config.token().substring(0, config.token().indexOf(':')) : "";
        String botId = fromToken.matches("\\d+") ? fromToken : null;
        String name = null;
        // privacy mode is Telegram's default: assumed when getMe does not say
        boolean allGroupMessages = false;
        switch (client.getMe()) {
            case BotApiAnswer.Ok me -> {
                botId = me.result().path("id").asText(botId);
                name = me.result().path("username").asText(null);
                allGroupMessages = me.result().path("can_read_all_group_messages").asBoolean(false);
                log.info("telegram bot @{} id={} mode={} privacy={}", name, botId, config.mode(), allGroupMessages ? "off" : "on");
            }
            case BotApiAnswer.Refused r when r.errorCode() == 401 || r.errorCode() == 404 ->
                    throw new IllegalStateException("Telegram refused the bot token (" + r.description() + "); check CONVENE_TELEGRAM_TOKEN");
            case BotApiAnswer.Refused r -> log.warn("telegram getMe refused code={} description={}; going on", r.errorCode(), r.description());
            case BotApiAnswer.Unreachable u -> log.warn("telegram getMe failed ({}); going on, the bot id taken from the token", u.reason());
        }
        if (botId == null) throw new IllegalStateException("cannot tell the Telegram bot's id: getMe failed and the token has no numeric prefix");
        this.username = name;
        this.platform = new TelegramPlatform(client, botId, config.messagesPerSecond(), allGroupMessages);
        if (!allGroupMessages) {
            log.warn("telegram bot @{} is in privacy mode: plain words typed in a group do not reach it, only replies to its messages, "
                    + "commands and button presses; the agenda asks members to reply to it. So that plain words count, send /setprivacy "
                    + "to @BotFather and choose Disable (then remove the bot from each group and add it again), or make the bot an "
                    + "administrator of each group", name);
        }
        this.webhookSecret = config.mode() != TelegramConfig.Mode.WEBHOOK ? null
                : config.webhookSecret() != null ? config.webhookSecret() : settings.secret(SECRET_SETTING, 32, random);
    }

    /** Whether the bot is in privacy mode (it reads only commands, replies to it and service messages in groups). */
    public boolean privacyMode() {
        return !platform.capabilities().allGroupMessages();
    }

    public TelegramPlatform platform() {
        return platform;
    }

    /** Where received events go; builds the way in for the configured mode. */
    public void receiveWith(InboundHandler handler) {
        TelegramInbox inbox = new TelegramInbox(jdbi, writes, clock, new TelegramUpdates(username), handler, platform.account());
        if (config.mode() == TelegramConfig.Mode.WEBHOOK) {
            routes = new TelegramRoutes(webhookSecret, inbox);
        } else {
            poller = new TelegramPoller(client, inbox, platform, settings, leases);
        }
    }

    /** {@code POST /webhooks/telegram}, in webhook mode only (after {@link #receiveWith}). */
    public Optional<TelegramRoutes> webhookRoutes() {
        return Optional.ofNullable(routes);
    }

    /**
     * Webhook mode: tells Telegram where to push ({@code publicUrl/webhooks/telegram}) and the secret it
     * must send. A URL Telegram refuses stops start-up; an unreachable Telegram is logged, and Telegram
     * keeps pushing to the URL set at an earlier start. Polling mode: starts the poller.
     */
    public void start(String publicUrl) {
        if (poller != null) {
            poller.start();
            return;
        }
        if (routes == null) throw new IllegalStateException("receiveWith(handler) must come before start");
        webhookRefusal(publicUrl, config.apiUrl()).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        String url = publicUrl.replaceAll("/+$", "") + TelegramRoutes.PATH;
        switch (client.setWebhook(url, webhookSecret)) {
            case BotApiAnswer.Ok ok -> log.info("telegram webhook set url={}", url);
            case BotApiAnswer.Refused r when r.errorCode() < 500 && r.retryAfter() == null ->
                    throw new IllegalStateException("Telegram refused the webhook " + url + ": " + r.description()
                            + " (set CONVENE_PUBLIC_URL to the public HTTPS address, or use CONVENE_TELEGRAM_MODE=polling)");
            case BotApiAnswer.Refused r -> log.error("telegram setWebhook failed url={} description={}", url, r.description());
            case BotApiAnswer.Unreachable u -> log.error("telegram setWebhook failed url={} reason={}", url, u.reason());
        }
    }

    /**
     * Telegram's own Bot API pushes webhooks only to a public HTTPS address (bots/api#setwebhook); a
     * local Bot API server (any other API URL) also accepts HTTP and local addresses, so it is let through.
     */
    static Optional<String> webhookRefusal(String publicUrl, String apiUrl) {
        java.net.URI api = java.net.URI.create(apiUrl);
        if (!"api.telegram.org".equalsIgnoreCase(api.getHost())) return Optional.empty();
        java.net.URI pub;
        try {
            pub = java.net.URI.create(publicUrl);
        } catch (IllegalArgumentException e) {
            return Optional.of("CONVENE_PUBLIC_URL " + publicUrl + " is not an address");
        }
        String host = pub.getHost() == null ? "" : pub.getHost().toLowerCase(java.util.Locale.ROOT);
        boolean local = host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1") || host.equals("0.0.0.0") || host.startsWith("10.") || host.startsWith("192.168.") || host.endsWith(".local");
        if ("https".equalsIgnoreCase(pub.getScheme()) && !local) return Optional.empty();
        return Optional.of("Telegram webhooks need a public HTTPS address, and CONVENE_PUBLIC_URL is " + publicUrl
                + (local ? " (a local address Telegram cannot reach)" : " (not HTTPS)")
                + "; set CONVENE_PUBLIC_URL to the public https:// address, or use CONVENE_TELEGRAM_MODE=polling, which needs none");
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
    }
}
