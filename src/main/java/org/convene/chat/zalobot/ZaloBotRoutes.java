package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.convene.chat.WebhookSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/zalobot}: the Bot Platform's pushes, one JSON object per call. The secret header is
 * compared first, in constant time, and nothing is read for a wrong one; the body is capped; an array (a
 * batch, which Zalo never sends) is refused. The event is handled on a thread of its own while the answer
 * waits at most {@link #ANSWER_WITHIN}: a quick handling that fails answers 500 (Zalo delivers again), and a
 * slow one (a reply Zalo is slow to take) is answered 200 in time and goes on after the answer.
 */
public final class ZaloBotRoutes implements AutoCloseable {
    static final String PATH = "/webhooks/zalobot";
    static final String SECRET_HEADER = "X-Bot-Api-Secret-Token";
    /** A text event is under 3 KB (2,000 characters of text and its envelope); anything much larger is not Zalo's. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Zalo documents no webhook timeout; two seconds is the OA's documented one, taken as the cautious bound. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ZaloBotRoutes.class);

    private final WebhookSecret secret;
    private final ZaloBotInbox inbox;
    private final ExecutorService handling = Executors.newVirtualThreadPerTaskExecutor();

    ZaloBotRoutes(String secret, ZaloBotInbox inbox) {
        this.secret = new WebhookSecret(secret);
        this.inbox = inbox;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) throws IOException, InterruptedException {
        if (!secret.matches(ctx.header(SECRET_HEADER))) {
            log.warn("zalo bot webhook refused: wrong or missing secret from={}", ctx.ip());
            error(ctx, 403, "forbidden", "the " + SECRET_HEADER + " header is missing or wrong");
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            error(ctx, 413, "too_large", "a Zalo Bot event is at most " + MAX_BODY_BYTES + " bytes");
            return;
        }
        byte[] raw;
        try (InputStream in = ctx.req().getInputStream()) {
            raw = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (raw.length > MAX_BODY_BYTES) {
            error(ctx, 413, "too_large", "a Zalo Bot event is at most " + MAX_BODY_BYTES + " bytes");
            return;
        }
        JsonNode body;
        try {
            body = ZaloBotClient.JSON.readTree(raw);
        } catch (IOException e) {
            error(ctx, 400, "malformed", "the body is not JSON");
            return;
        }
        if (body == null || !body.isObject()) {
            error(ctx, 400, "malformed", "the body must be one JSON object (Zalo sends one event per call, never a batch)");
            return;
        }
        Future<ZaloBotInbox.Received> handled = handling.submit(() -> inbox.receive(body));
        try {
            if (handled.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS) == ZaloBotInbox.Received.NOT_AN_EVENT) {
                error(ctx, 400, "malformed", "the body is not a Zalo Bot event (no event_name)");
                return;
            }
        } catch (TimeoutException e) {
            log.info("zalo bot event still being handled after {} ms; answered, handling goes on", ANSWER_WITHIN.toMillis());
        } catch (ExecutionException e) {
            // a failure in handling: the 500 makes Zalo deliver the event again (its id was not remembered)
            log.error("zalo bot event not handled", e.getCause());
            error(ctx, 500, "internal", "the event could not be handled; deliver it again");
            return;
        }
        ctx.status(200).json(Map.of("ok", true));
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message, "details", List.of())));
    }

    /** Lets events being handled finish (a few seconds at most), then stops. */
    @Override
    public void close() {
        handling.shutdown();
        try {
            if (!handling.awaitTermination(5, TimeUnit.SECONDS)) log.warn("zalo bot events still being handled at stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
