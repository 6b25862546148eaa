package org.convene.chat.zalobot;

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
 * Zalo's Bot Platform as the wiring sees it: one bot, its platform, and its way in (the webhook's routes
 * or the poller). Built before the HTTP server (getMe checks the token), started after it (Zalo may push
 * at once), closed before it.
 */
public final class ZaloBot implements AutoCloseable {
    static final String SECRET_SETTING = "zalobot-webhook-secret";
    private static final Logger log = LoggerFactory.getLogger(ZaloBot.class);

    private final ZaloBotConfig config;
    private final ZaloBotClient client;
    private final ZaloBotPlatform platform;
    private final Jdbi jdbi;
    private final Writes writes;
    private final Leases leases;
    private final Clock clock;
    private final String webhookSecret;
    private ZaloBotRoutes routes;
    private ZaloBotPoller poller;

    /**
     * Asks getMe who the bot is: a token Zalo refuses stops start-up here with the reason; a bot that cannot
     * join groups yet is logged (and shown on the home page), since a cell's group is what it is for.
     *
     * @param leases this node's leases: of several nodes, one at a time long-polls
     * @param photoUrls a picture's public address by the SHA-256 of its bytes (on the meeting's materials page)
     */
    public ZaloBot(ZaloBotConfig config, OkHttpClient http, Jdbi jdbi, Writes writes, Leases leases, Clock clock, Settings settings,
                   RandomGenerator random, java.util.function.Function<String, Optional<String>> photoUrls) {
        this.config = config;
        this.jdbi = jdbi;
        this.writes = writes;
        this.leases = leases;
        this.clock = clock;
        this.client = new ZaloBotClient(http, config.apiUrl(), config.token());
        String prefix = config.token().contains(":") ? config.token().substring(0, config.token().indexOf(':')) : "";
        String botId = prefix.isEmpty() ? null : prefix;
        boolean canJoinGroups = true;
        switch (client.getMe()) {
            case ZaloBotAnswer.Ok me -> {
                botId = me.result().path("id").asText(botId);
                // absent means Zalo did not say: only a false is a warning
                canJoinGroups = me.result().path("can_join_groups").asBoolean(true);
                log.info("zalo bot {} id={} type={} canJoinGroups={} mode={}", me.result().path("account_name").asText("?"), botId,
                        me.result().path("account_type").asText("?"), canJoinGroups, config.mode());
                if (!canJoinGroups) {
                    log.warn("zalo bot {} cannot be added to groups yet (getMe: can_join_groups=false): it answers in private chats only"
                            + " until Zalo opens groups to it", botId);
                }
            }
            case ZaloBotAnswer.Refused r when r.botApi() && (r.errorCode() == 401 || r.errorCode() == 403 || r.errorCode() == 404) ->
                    throw new IllegalStateException("Zalo refused the bot token (" + r.description() + "); check CONVENE_ZALOBOT_TOKEN");
            case ZaloBotAnswer.Refused r -> log.warn("zalo bot getMe refused code={} description={}; going on", r.errorCode(), r.description());
            case ZaloBotAnswer.Unreachable u -> log.warn("zalo bot getMe failed ({}); going on, the bot id taken from the token", u.reason());
        }
        if (botId == null || botId.isBlank()) throw new IllegalStateException("cannot tell the Zalo bot's id: getMe failed and the token has no id before ':'");
        this.platform = new ZaloBotPlatform(client, botId, config.messagesPerSecond(), canJoinGroups, clock, photoUrls);
        this.webhookSecret = config.mode() != ZaloBotConfig.Mode.WEBHOOK ? null
                : config.webhookSecret() != null ? config.webhookSecret() : settings.secret(SECRET_SETTING, 32, random);
    }

    public ZaloBotPlatform platform() {
        return platform;
    }

    /** Where received events go; builds the way in for the configured mode. */
    public void receiveWith(InboundHandler handler) {
        ZaloBotInbox inbox = new ZaloBotInbox(jdbi, writes, clock, handler, platform.account());
        if (config.mode() == ZaloBotConfig.Mode.WEBHOOK) {
            routes = new ZaloBotRoutes(webhookSecret, inbox);
        } else {
            poller = new ZaloBotPoller(client, inbox, platform.account(), leases);
        }
    }

    /** {@code POST /webhooks/zalobot}, in webhook mode only (after {@link #receiveWith}). */
    public Optional<ZaloBotRoutes> webhookRoutes() {
        return Optional.ofNullable(routes);
    }

    /**
     * Webhook mode: tells Zalo where to push ({@code publicUrl/webhooks/zalobot}) and the secret it must send.
     * A URL Zalo refuses (it must be public HTTPS) stops start-up; an unreachable Zalo is logged, and Zalo keeps
     * pushing to the URL set at an earlier start. Polling mode: starts the poller.
     */
    public void start(String publicUrl) {
        if (poller != null) {
            poller.start();
            return;
        }
        if (routes == null) throw new IllegalStateException("receiveWith(handler) must come before start");
        String url = publicUrl.replaceAll("/+$", "") + ZaloBotRoutes.PATH;
        switch (client.setWebhook(url, webhookSecret)) {
            case ZaloBotAnswer.Ok ok -> log.info("zalo bot webhook set url={}", url);
            case ZaloBotAnswer.Refused r when r.botApi() && r.errorCode() < 500 && r.errorCode() != 429 ->
                    throw new IllegalStateException("Zalo refused the webhook " + url + ": " + r.description()
                            + " (set CONVENE_PUBLIC_URL to the public HTTPS address, or use CONVENE_ZALOBOT_MODE=polling)");
            case ZaloBotAnswer.Refused r -> log.error("zalo bot setWebhook failed url={} description={}", url, r.description());
            case ZaloBotAnswer.Unreachable u -> log.error("zalo bot setWebhook failed url={} reason={}", url, u.reason());
        }
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
        if (routes != null) routes.close();
    }
}
