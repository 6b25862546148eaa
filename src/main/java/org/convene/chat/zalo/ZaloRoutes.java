package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/zalo}: the OA's events. The signature is checked before anything is stored:
 * {@code X-ZEvent-Signature: mac=<hex>} with hex = SHA-256 of {@code app_id + raw body + timestamp + OA secret
 * key} (a plain digest, not an HMAC; {@code app_id} and {@code timestamp} read from the body), and an event
 * older than a day is refused as a replay. Events Convene does not act on get 200 at once. A body over
 * {@link #MAX_BODY} is refused before it is read whole or parsed, an event signed for another app is refused,
 * and refusals are logged at most once a minute with how many there were: a flood cannot fill the log.
 */
public final class ZaloRoutes {
    static final String PATH = "/webhooks/zalo";
    static final String SIGNATURE_HEADER = "X-ZEvent-Signature";
    /**
     * How far an event's timestamp may be from now, either way. A replay within it is dropped anyway by its
     * msg_id, remembered twice as long ({@link ZaloInbox#REMEMBER}); a window of minutes would instead refuse,
     * and so lose, the members' answers that Zalo delivers late after Convene was down for a while.
     */
    static final Duration MAX_AGE = Duration.ofHours(24);
    /** Zalo's events are a few hundred bytes; nothing larger is read, let alone parsed, before its signature is known. */
    static final int MAX_BODY = 64 * 1024;
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ZaloRoutes.class);

    private final String appId;
    private final byte[] oaSecret;
    private final ZaloInbox inbox;
    private final Clock clock;
    private Instant lastLogged;
    private int refusedSince;

    ZaloRoutes(String appId, String oaSecret, ZaloInbox inbox, Clock clock) {
        this.appId = appId;
        this.oaSecret = oaSecret.getBytes(StandardCharsets.UTF_8);
        this.inbox = inbox;
        this.clock = clock;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) throws IOException {
        String length = ctx.header("Content-Length");
        byte[] raw = length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BODY ? null
                : ctx.req().getInputStream().readNBytes(MAX_BODY + 1);
        if (raw == null || raw.length > MAX_BODY) {
            refused(ctx, "the body is larger than " + MAX_BODY + " bytes");
            ctx.status(413).json(Map.of("error", Map.of("code", "too_large", "message", "the body is larger than " + MAX_BODY + " bytes",
                    "details", List.of())));
            return;
        }
        JsonNode body;
        try {
            body = ZaloClient.JSON.readTree(raw);
        } catch (IOException e) {
            body = null;
        }
        String refusal = refusal(ctx.header(SIGNATURE_HEADER), raw, body);
        if (refusal != null) {
            refused(ctx, refusal);
            ctx.status(401).json(Map.of("error", Map.of("code", "unauthorized", "message", refusal, "details", List.of())));
            return;
        }
        // a failure in handling propagates: the 500 makes Zalo deliver the event again
        inbox.receive(body);
        ctx.status(200).json(Map.of("ok", true));
    }

    /** One warning a minute at most, counting the refusals since the last one. */
    private synchronized void refused(Context ctx, String why) {
        refusedSince++;
        Instant now = clock.instant();
        if (lastLogged != null && Duration.between(lastLogged, now).compareTo(LOG_EVERY) < 0) return;
        log.warn("zalo webhook refused {} request(s) since {}; the latest: {} from={}", refusedSince,
                lastLogged == null ? "start" : lastLogged, why, ctx.ip());
        lastLogged = now;
        refusedSince = 0;
    }

    /** Why the event is not to be trusted, or null when its signature and timestamp are good. */
    String refusal(String header, byte[] raw, JsonNode body) {
        if (header == null || header.isBlank()) return "the " + SIGNATURE_HEADER + " header is missing";
        if (body == null || !body.isObject()) return "the body is not a JSON object, so its signature cannot be checked";
        String appId = body.path("app_id").asText("");
        String timestamp = body.path("timestamp").asText("");
        if (appId.isEmpty() || !timestamp.matches("\\d{1,16}")) return "the body has no app_id or timestamp to check the signature with";
        // an event another app of the same OA secret signed is not ours, however good its signature
        if (!appId.equals(this.appId)) return "the event is for app_id " + appId + ", not this service's app";
        String given = header.strip();
        if (given.regionMatches(true, 0, "mac=", 0, 4)) given = given.substring(4).strip();
        byte[] expected = HexFormat.of().formatHex(digest(appId, raw, timestamp)).getBytes(StandardCharsets.US_ASCII);
        // MessageDigest.isEqual takes the same time whatever the first differing byte: nothing leaks the expected digest
        if (!MessageDigest.isEqual(expected, given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return "the " + SIGNATURE_HEADER + " signature is wrong";
        }
        Instant sent = Instant.ofEpochMilli(Long.parseLong(timestamp));
        if (Duration.between(sent, clock.instant()).abs().compareTo(MAX_AGE) > 0) {
            return "the event's timestamp " + sent + " is more than " + MAX_AGE.toHours() + " hours from now";
        }
        return null;
    }

    private byte[] digest(String appId, byte[] raw, String timestamp) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(appId.getBytes(StandardCharsets.UTF_8));
            sha.update(raw);
            sha.update(timestamp.getBytes(StandardCharsets.UTF_8));
            sha.update(oaSecret);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
