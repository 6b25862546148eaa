package org.convene.chat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.convene.chat.InboundHandler;

/**
 * The local platform's faces: {@code /local}, a page showing each local chat as a phone would, and the
 * JSON the page and the tests use to read messages, press buttons and say things.
 */
public final class LocalRoutes {
    /** The request attribute the web layer sets to a {@link java.util.function.LongPredicate}: the units the caller reaches. */
    public static final String REACH = "convene.local.reach";
    /** As Telegram caps a message: a longer text is refused, not stored. */
    public static final int MAX_TEXT = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalPlatform platform;
    private final InboundHandler handler;
    private final Directory directory;

    /** The chats and people the page offers; supplied by the wiring so this package knows nothing of units. */
    public interface Directory {
        /** Local chat ids with their titles. */
        Map<String, String> chats();

        /** Local accounts known in a chat (linked members), to act as on the page. */
        List<ChatUser> people(String chatId);

        /** The unit a local chat is bound to; empty for a chat bound to none (the local chat speaks in bound chats only). */
        Optional<Long> unitOf(String chatId);
    }

    public LocalRoutes(LocalPlatform platform, InboundHandler handler, Directory directory) {
        this.platform = platform;
        this.handler = handler;
        this.directory = directory;
    }

    record Press(Long messageId, String buttonId, String userId, String userName) {}

    record Say(String userId, String userName, String text, Long replyToMessageId) {}

    public void register(JavalinConfig cfg) {
        cfg.routes.get("/local", ctx -> ctx.contentType("text/html; charset=utf-8").result(page()));
        cfg.routes.get("/api/v1/local/chats", ctx -> {
            List<Map<String, Object>> chats = new ArrayList<>();
            directory.chats().forEach((id, title) -> {
                if (!reached(ctx, id)) return;
                Map<String, Object> chat = new LinkedHashMap<>();
                chat.put("chatId", id);
                chat.put("title", title);
                chat.put("people", directory.people(id));
                chats.add(chat);
            });
            ctx.json(chats);
        });
        cfg.routes.get("/api/v1/local/chats/{chatId}/messages", ctx -> {
            if (!reachedOrSaid(ctx)) return;
            ctx.json(platform.messages(ctx.pathParam("chatId")).stream().map(LocalRoutes::view).toList());
        });
        cfg.routes.get("/api/v1/local/chats/{chatId}/messages/{messageId}/document", this::document);
        cfg.routes.post("/api/v1/local/chats/{chatId}/press", this::press);
        cfg.routes.post("/api/v1/local/chats/{chatId}/say", this::say);
    }

    /** Whether the caller reaches the unit the chat is bound to. */
    private boolean reached(Context ctx, String chatId) {
        java.util.function.LongPredicate reach = ctx.attribute(REACH);
        Optional<Long> unit = directory.unitOf(chatId);
        return reach != null && unit.isPresent() && reach.test(unit.get());
    }

    /** A chat the caller does not reach, or bound to no unit, is not there for them (404, as for any unknown chat). */
    private boolean reachedOrSaid(Context ctx) {
        if (reached(ctx, ctx.pathParam("chatId"))) return true;
        error(ctx, 404, "no local chat " + ctx.pathParam("chatId") + " bound to a unit you reach");
        return false;
    }

    private void press(Context ctx) {
        if (!reachedOrSaid(ctx)) return;
        Press p = body(ctx, Press.class);
        if (p == null) return;
        if (p.messageId() == null || p.buttonId() == null || blank(p.userId())) {
            error(ctx, 422, "messageId, buttonId and userId are required");
            return;
        }
        ChatUser user = new ChatUser(p.userId(), blank(p.userName()) ? p.userId() : p.userName(), null);
        Optional<InboundEvent.ButtonPressed> event = platform.press(ctx.pathParam("chatId"), p.messageId(), p.buttonId(), user);
        if (event.isEmpty()) {
            error(ctx, 404, "no message " + p.messageId() + " with button " + p.buttonId() + " in chat " + ctx.pathParam("chatId"));
            return;
        }
        String notice = handler.handle(event.get());
        platform.answer(event.get(), notice);
        ctx.json(Map.of("answer", Optional.ofNullable(platform.takeAnswer(event.get().callbackId())).orElse("")));
    }

    private void say(Context ctx) {
        if (!reachedOrSaid(ctx)) return;
        Say s = body(ctx, Say.class);
        if (s == null) return;
        if (blank(s.userId()) || blank(s.text())) {
            error(ctx, 422, "userId and text are required");
            return;
        }
        if (s.text().length() > MAX_TEXT) {
            ctx.status(413).json(Map.of("error", Map.of("code", "too_large", "message", "the text is longer than " + MAX_TEXT + " characters",
                    "details", List.of())));
            return;
        }
        if (s.userId().length() > 64 || (s.userName() != null && s.userName().length() > 200)) {
            error(ctx, 422, "userId is at most 64 characters and userName at most 200");
            return;
        }
        ChatUser user = new ChatUser(s.userId(), blank(s.userName()) ? s.userId() : s.userName(), null);
        InboundEvent.TextReceived event = platform.say(ctx.pathParam("chatId"), user, s.text(), s.replyToMessageId());
        handler.handle(event);
        ctx.status(201).json(Map.of("messageId", Long.parseLong(event.messageId())));
    }

    private void document(Context ctx) throws IOException {
        if (!reachedOrSaid(ctx)) return;
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("messageId"));
        } catch (NumberFormatException e) {
            error(ctx, 404, "no such message");
            return;
        }
        Optional<LocalMessage> message = platform.message(ctx.pathParam("chatId"), id);
        if (message.isEmpty() || message.get().document() == null) {
            error(ctx, 404, "no document in message " + id);
            return;
        }
        LocalMessage.LocalDocument doc = message.get().document();
        ctx.contentType(doc.mediaType());
        ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(doc.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.result(Files.newInputStream(Path.of(doc.path())));
    }

    static Map<String, Object> view(LocalMessage m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", m.messageId());
        v.put("from", m.from());
        v.put("fromName", m.fromName());
        v.put("text", m.text());
        v.put("buttons", m.buttonRows().stream().flatMap(List::stream).toList());
        v.put("buttonRows", m.buttonRows());
        if (m.document() != null) {
            v.put("document", Map.of("filename", m.document().filename(), "mediaType", m.document().mediaType(),
                    "size", m.document().size(), "url", "/api/v1/local/chats/" + m.chatId() + "/messages/" + m.messageId() + "/document"));
        }
        v.put("mentions", m.mentions());
        v.put("replyTo", m.replyTo());
        v.put("sentAt", m.sentAt().toString());
        v.put("editedAt", Optional.ofNullable(m.editedAt()).map(Instant::toString).orElse(null));
        v.put("editCount", m.editCount());
        return v;
    }

    /** The body as {@code type}, or null after answering 400 when it is not that JSON object. */
    private static <T> T body(Context ctx, Class<T> type) {
        String problem;
        try {
            T value = JSON.readValue(ctx.body(), type);
            if (value != null) return value;
            problem = "the body must be a JSON object";
        } catch (IOException e) {
            problem = "the body is not the expected JSON: " + e.getMessage();
        }
        ctx.status(400).json(Map.of("error", Map.of("code", "malformed", "message", problem, "details", List.of())));
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", status == 404 ? "not_found" : "invalid", "message", message, "details", List.of())));
    }

    private static String page() throws IOException {
        try (InputStream in = LocalRoutes.class.getResourceAsStream("/web/local.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
