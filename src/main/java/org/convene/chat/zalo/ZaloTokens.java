package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.convene.store.Lease;
import org.convene.store.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OA access token, shared by every node through the {@code settings} table and refreshed ahead of
 * its expiry. Zalo's refresh token is single-use (every refresh returns a new one and the old one is
 * spent), so the pair is kept in one settings row, replaced in one statement, and a refresh is made
 * only under a {@link Lease}: of several nodes, only the holder spends the stored refresh token, and it
 * re-reads the row after taking the lease, so a token another node spent a moment before is never
 * spent again. A lease, not a database transaction around the refresh: that would hold SQLite's single
 * write lock across a call to Zalo, and PostgreSQL would need a row lock SQLite cannot express.
 */
final class ZaloTokens {
    private static final Logger log = LoggerFactory.getLogger(ZaloTokens.class);
    /** Zalo's access token lives about 25 hours; it is renewed once less than this is left. */
    static final Duration REFRESH_AHEAD = Duration.ofHours(1);
    /** How long one node may hold the right to refresh: longer than a refresh call can take. */
    static final Duration LEASE_TIME = Duration.ofMinutes(2);

    /**
     * Zalo lets a refresh token that is not used for about three months expire (then only a new authorisation
     * by the OA admin helps); one older than this is spent for a new pair ahead, while it still works, so that
     * an OA that sends nothing for a season (a summer without meetings) keeps a living token.
     */
    static final Duration RENEW_REFRESH_TOKEN_AFTER = Duration.ofDays(30);
    /** A failed refresh ahead is tried again after this, not at every sweep. */
    private static final Duration RENEW_RETRY = Duration.ofHours(1);

    /**
     * The stored pair; {@code seed} is a digest of the configured refresh token this chain began with,
     * {@code refreshedAt} when the refresh token was issued (null in rows written before it was kept).
     */
    record Stored(String accessToken, String refreshToken, Instant expiresAt, String seed, Instant refreshedAt) {
        Stored(String accessToken, String refreshToken, Instant expiresAt, String seed) {
            this(accessToken, refreshToken, expiresAt, seed, null);
        }

        String toJson() {
            var node = ZaloClient.JSON.createObjectNode().put("accessToken", accessToken).put("refreshToken", refreshToken)
                    .put("expiresAt", expiresAt.toString()).put("seed", seed);
            if (refreshedAt != null) node.put("refreshedAt", refreshedAt.toString());
            return node.toString();
        }

        /** When the refresh token was issued: kept since it was, else about an access token's life before its expiry. */
        Instant issuedAt() {
            return refreshedAt != null ? refreshedAt : expiresAt.minus(Duration.ofHours(25));
        }

        static Optional<Stored> parse(String json) {
            try {
                JsonNode n = ZaloClient.JSON.readTree(json);
                Instant refreshed = n.hasNonNull("refreshedAt") ? Instant.parse(n.get("refreshedAt").asText()) : null;
                return Optional.of(new Stored(n.path("accessToken").asText(), n.path("refreshToken").asText(),
                        Instant.parse(n.path("expiresAt").asText()), n.path("seed").asText(), refreshed));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return "Stored[expiresAt=" + expiresAt + ", tokens=<redacted>]";
        }
    }

    /** An access token to call with, or why there is none. */
    sealed interface Access {
        record Token(String value) implements Access {}

        record None(String reason) implements Access {}
    }

    private final ZaloClient client;
    private final ZaloConfig config;
    private final Settings settings;
    private final Lease lease;
    private final Clock clock;
    private final String settingName;
    private final String seed;
    private volatile Instant renewTriedAt;

    ZaloTokens(ZaloClient client, ZaloConfig config, Settings settings, Lease lease, Clock clock) {
        this.client = client;
        this.config = config;
        this.settings = settings;
        this.lease = lease;
        this.clock = clock;
        this.settingName = settingName(config.appId());
        this.seed = digest(config.refreshToken());
    }

    static String settingName(String appId) {
        return "zalo-oauth:" + appId;
    }

    /** The stored access token while it has more than {@link #REFRESH_AHEAD} to live; otherwise a fresh one. */
    Access current() {
        Optional<Stored> stored = stored();
        if (stored.isPresent() && fresh(stored.get())) return new Access.Token(stored.get().accessToken());
        return refresh(stored.map(Stored::accessToken).orElse(null));
    }

    /**
     * Zalo called {@code stale} invalid (error -216): a new token, unless another call or node has replaced
     * {@code stale} already, in which case that one is used and no refresh token is spent.
     */
    Access replace(String stale) {
        return refresh(stale);
    }

    private synchronized Access refresh(String seenAccessToken) {
        Optional<Stored> before = stored();
        if (before.isPresent() && !before.get().accessToken().equals(seenAccessToken) && fresh(before.get())) {
            return new Access.Token(before.get().accessToken());
        }
        // the lease is kept after a refresh until it runs out (or the service stops): releasing it would make this
        // node's next hold wait a while before asking the database again, and a -216 may come right after a refresh
        if (lease.hold() == Lease.Holding.ELSEWHERE) {
            // another node is refreshing: its token will be in the row in a moment; meanwhile use what is there
            return before.filter(s -> s.expiresAt().isAfter(clock.instant()) && !s.accessToken().equals(seenAccessToken))
                    .<Access>map(s -> new Access.Token(s.accessToken()))
                    .orElseGet(() -> new Access.None("another node is refreshing the Zalo access token"));
        }
        // read again under the lease: a node that held it before us may have refreshed since our first look
        Optional<Stored> now = stored();
        if (now.isPresent() && !now.get().accessToken().equals(seenAccessToken) && fresh(now.get())) {
            return new Access.Token(now.get().accessToken());
        }
        String spend = now.filter(s -> s.seed().equals(seed)).map(Stored::refreshToken).orElse(config.refreshToken());
        if (now.isPresent() && !now.get().seed().equals(seed)) {
            log.info("zalo refresh token in the configuration changed; starting from it (a new authorisation)");
        }
        ZaloClient.Refreshed answer = client.refresh(config.appId(), config.appSecret(), spend);
        return switch (answer) {
            case ZaloClient.Refreshed.Tokens t -> {
                Stored fresh = new Stored(t.accessToken(), t.refreshToken(), clock.instant().plusSeconds(t.expiresInSeconds()), seed,
                        clock.instant());
                // one row, one statement: the new refresh token and its access token replace the old pair together
                settings.put(settingName, fresh.toJson());
                log.info("zalo access token refreshed app={} expiresAt={}", config.appId(), fresh.expiresAt());
                yield new Access.Token(fresh.accessToken());
            }
            case ZaloClient.Refreshed.Failed f -> {
                log.error("zalo access token not refreshed app={}: {}", config.appId(), f.reason());
                yield new Access.None(f.refused() ? f.reason() + "; authorise the app again in the OA and set CONVENE_ZALO_REFRESH_TOKEN"
                        : f.reason());
            }
        };
    }

    /** How long ago the stored refresh token was issued; empty before the first refresh of the configured one. */
    Optional<Duration> refreshTokenAge() {
        return stored().filter(s -> s.seed().equals(seed)).map(s -> Duration.between(s.issuedAt(), clock.instant()));
    }

    /**
     * Spends a refresh token older than {@link #RENEW_REFRESH_TOKEN_AFTER} for a new pair (under the lease, as
     * any refresh); true when it did. A configured token never used yet is left for the first send.
     */
    boolean refreshAhead() {
        Optional<Stored> stored = stored().filter(s -> s.seed().equals(seed));
        Instant now = clock.instant();
        if (stored.isEmpty() || Duration.between(stored.get().issuedAt(), now).compareTo(RENEW_REFRESH_TOKEN_AFTER) < 0) return false;
        if (renewTriedAt != null && Duration.between(renewTriedAt, now).compareTo(RENEW_RETRY) < 0) return false;
        renewTriedAt = now;
        log.info("zalo refresh token is {} days old; refreshing ahead of its expiry", Duration.between(stored.get().issuedAt(), now).toDays());
        return refresh(stored.get().accessToken()) instanceof Access.Token;
    }

    /** At a clean stop: another node may refresh at once. */
    void close() {
        lease.release();
    }

    private boolean fresh(Stored stored) {
        return stored.seed().equals(seed) && stored.expiresAt().minus(REFRESH_AHEAD).isAfter(clock.instant());
    }

    private Optional<Stored> stored() {
        return settings.get(settingName).flatMap(Stored::parse);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
