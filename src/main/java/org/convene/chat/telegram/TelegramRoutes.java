package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.convene.chat.InboundEvent;
import org.convene.chat.WebhookSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/telegram}: Telegram's pushes. The secret header is checked first (nothing is read
 * or stored for a wrong one), the update is handled at once, and a button press is answered inside this
 * HTTP answer, which saves Telegram a separate answerCallbackQuery call.
 */
public final class TelegramRoutes {
    static final String PATH = "/webhooks/telegram";
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Logger log = LoggerFactory.getLogger(TelegramRoutes.class);

    private final WebhookSecret secret;
    private final TelegramInbox inbox;

    TelegramRoutes(String secret, TelegramInbox inbox) {
        this.secret = new WebhookSecret(secret);
        this.inbox = inbox;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) {
        if (!secret.matches(ctx.header(SECRET_HEADER))) {
            log.warn("telegram webhook refused: wrong or missing secret from={}", ctx.ip());
            error(ctx, 403, "forbidden", "the " + SECRET_HEADER + " header is missing or wrong");
            return;
        }
        JsonNode update;
        try {
            update = TelegramClient.JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            error(ctx, 400, "malformed", "the body is not JSON");
            return;
        }
        // a failure in handling propagates: the 500 makes Telegram deliver the update again
        switch (inbox.receive(update)) {
            case TelegramInbox.Received.NotAnUpdate n -> error(ctx, 400, "malformed", "the body is not a Telegram Update");
            case TelegramInbox.Received.Handled h when h.event() instanceof InboundEvent.ButtonPressed press -> {
                ObjectNode answer = TelegramClient.JSON.createObjectNode().put("method", "answerCallbackQuery");
                answer.setAll(TelegramClient.callbackAnswer(press.callbackId(), h.notice()));
                ctx.status(200).contentType("application/json").result(answer.toString());
            }
            case TelegramInbox.Received.Handled h -> ctx.status(200);
            case TelegramInbox.Received.Duplicate d -> ctx.status(200);
            case TelegramInbox.Received.Ignored i -> ctx.status(200);
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message, "details", List.of())));
    }
}
