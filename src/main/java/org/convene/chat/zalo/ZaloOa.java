package org.convene.chat.zalo;

import java.time.Clock;
import okhttp3.OkHttpClient;
import org.convene.chat.InboundHandler;
import org.convene.store.Lease;
import org.convene.store.Leases;
import org.convene.store.Settings;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zalo as the wiring sees it: one Official Account reached through its linked app, its platform, its
 * shared access token and its webhook. Nothing is asked of Zalo at start: the first send refreshes the
 * token, so a start does not spend the single-use refresh token for nothing.
 */
public final class ZaloOa implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZaloOa.class);

    private final ZaloConfig config;
    private final Jdbi jdbi;
    private final Writes writes;
    private final Clock clock;
    private final ZaloTokens tokens;
    private final ZaloPlatform platform;
    private ZaloRoutes routes;

    /** @param leases this node's leases: of several nodes, one at a time may spend the refresh token */
    public ZaloOa(ZaloConfig config, OkHttpClient http, Jdbi jdbi, Writes writes, Leases leases, Clock clock, Settings settings) {
        this.config = config;
        this.jdbi = jdbi;
        this.writes = writes;
        this.clock = clock;
        ZaloClient client = new ZaloClient(http, config.apiUrl(), config.oauthUrl());
        Lease refreshing = new Lease(jdbi, clock, "zalo-token:" + config.appId(), leases.node(), ZaloTokens.LEASE_TIME, leases.soleNode());
        this.tokens = new ZaloTokens(client, config, settings, refreshing, clock);
        this.platform = new ZaloPlatform(client, tokens, config.appId(), config.messagesPerSecond());
        log.info("zalo official account app={} api={}", config.appId(), config.apiUrl());
    }

    public ZaloPlatform platform() {
        return platform;
    }

    /** Where received events go; builds {@code POST /webhooks/zalo}. */
    public ZaloRoutes receiveWith(InboundHandler handler) {
        routes = new ZaloRoutes(config.appId(), config.oaSecret(), new ZaloInbox(jdbi, writes, clock, handler, platform), clock);
        return routes;
    }

    /**
     * For a sweep every minute: renews a refresh token that has gone unused for a month, so that it never
     * reaches Zalo's expiry of about three months unused. Never throws (a sweep must go on).
     */
    public void refreshAhead() {
        try {
            tokens.refreshAhead();
        } catch (RuntimeException e) {
            log.warn("zalo refresh ahead failed; trying again later", e);
        }
    }

    @Override
    public void close() {
        tokens.close();
    }
}
