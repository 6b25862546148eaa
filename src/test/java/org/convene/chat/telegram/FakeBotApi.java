package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * A stand-in for the Telegram Bot API on real HTTP, speaking its wire format: {@code /bot<token>/<method>}
 * with JSON, form or multipart parameters, answers in Telegram's envelope and with Telegram's error words.
 * It keeps each chat's messages, checks HTML and limits as Telegram does, hands out file ids for uploads,
 * serves getUpdates from a queue (holding the poll open like Telegram), pushes updates to a webhook with its
 * secret and carries out a method the webhook answers with. Chats can be kicked from or migrated, and
 * calls can be scripted to fail (429 with retry_after, 5xx).
 *
 * <p>Privacy mode, on by default as on Telegram (core.telegram.org/bots/features#privacy-mode): in a group
 * where the bot is not an administrator, it is handed only commands (bare, or addressed to it with
 * {@code /cmd@its_name}), messages that mention it, replies to its own messages and service messages;
 * plain words are withheld, from the webhook and from getUpdates alike. Button presses, membership changes
 * and private chats always arrive.
 */
public final class FakeBotApi implements AutoCloseable {
    public static final long BOT_ID = 7000000001L;
    public static final String TOKEN = BOT_ID + ":AAHfakeTokenOnlyForTests_0123456789ab";
    public static final String BOT_USERNAME = "convene_test_bot";
    /** 2026-12-01T01:00:00Z, the tests' start: Telegram dates are Unix seconds. */
    static final long DATE = 1764550800L;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
            "a", "tg-emoji", "code", "pre", "blockquote");

    /** One call as Telegram received it: the method, its parameters whatever the encoding, the uploaded files. */
    public record Call(String method, ObjectNode params, Map<String, Upload> files, boolean fromWebhookAnswer) {
        public String text(String name) {
            JsonNode v = params.get(name);
            return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
        }

        /** A parameter that is JSON: as sent in a JSON body, or a JSON string in a form. */
        public JsonNode json(String name) {
            JsonNode v = params.path(name);
            if (!v.isTextual()) return v;
            try {
                return JSON.readTree(v.asText());
            } catch (IOException e) {
                return v;
            }
        }
    }

    public record Upload(String filename, String mediaType, byte[] bytes) {}

    /** A message the bot posted, as Telegram keeps it. */
    public static final class Posted {
        public final long messageId;
        public final String chatId;
        public volatile String html;
        public volatile String text;
        public volatile JsonNode replyMarkup;
        public final String fileId;
        public volatile int edits;

        Posted(long messageId, String chatId, String html, String text, JsonNode replyMarkup, String fileId) {
            this.messageId = messageId;
            this.chatId = chatId;
            this.html = html;
            this.text = text;
            this.replyMarkup = replyMarkup;
            this.fileId = fileId;
        }

        public List<String> buttonData() {
            List<String> data = new ArrayList<>();
            replyMarkup.path("inline_keyboard").forEach(row -> row.forEach(b -> data.add(b.path("callback_data").asText())));
            return data;
        }
    }

    /** A Telegram account pressing and typing in the tests. */
    public record User(long id, String firstName, String username) {}

    private static final class Chat {
        final List<Posted> messages = new ArrayList<>();
        long nextMessageId = 1;
        String migratedTo;
        String forbidden;
        boolean botIsAdmin;
    }

    /** Message fields that make it a service message, which every bot receives. */
    private static final Set<String> SERVICE = Set.of("new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
            "delete_chat_photo", "group_chat_created", "supergroup_chat_created", "migrate_to_chat_id", "migrate_from_chat_id",
            "pinned_message");

    private record BotError(int code, String description, ObjectNode parameters) {}

    private static final class Refusal extends RuntimeException {
        final BotError error;

        Refusal(int code, String description) {
            this(new BotError(code, description, null));
        }

        Refusal(BotError error) {
            super(error.description(), null, false, false);
            this.error = error;
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient pusher = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Chat> chats = new HashMap<>();
    private final Map<String, Upload> files = new HashMap<>();
    private final Map<String, Deque<BotError>> scripted = new HashMap<>();
    private final Map<String, Duration> stalls = new HashMap<>();
    private final Map<String, Duration> slow = new HashMap<>();
    private final List<ObjectNode> queue = new ArrayList<>();
    private final Set<String> openCallbacks = new HashSet<>();
    /** chat:message of what members said (textUpdate), so that setMessageReaction finds only real messages. */
    private final Set<String> userMessages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** chat:message → the emoji the bot set on it. */
    private final Map<String, String> reactions = new java.util.concurrent.ConcurrentHashMap<>();
    /** The emoji of Telegram's ReactionTypeEmoji list that Convene may use; others are REACTION_INVALID here as there. */
    private static final Set<String> REACTION_EMOJI = Set.of("👍", "👌", "🙏", "🤝", "✍", "❤", "🎉", "👏");

    /** The emoji the bot set on a member's message, or null. */
    public String reaction(String chatId, long messageId) {
        return reactions.get(chatId + ":" + messageId);
    }
    private final List<Long> withheld = new ArrayList<>();
    private final AtomicLong nextUpdateId = new AtomicLong(912345001);
    private final AtomicLong nextFile = new AtomicLong(1);
    private boolean privacy = true;
    private String webhookUrl;
    private String webhookSecret;
    private HttpUrl webhookTarget;
    private boolean closed;

    public FakeBotApi() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return FakeBotApi.this.dispatch(request);
            }

            @Override
            public void close() {
                wakeWaitingPolls();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL to give as CONVENE_TELEGRAM_API_URL. */
    public String url() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    // ---- what the tests look at ----

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    public synchronized List<Posted> messages(String chatId) {
        return List.copyOf(chat(chatId).messages);
    }

    public synchronized Map<String, Upload> uploads() {
        return Map.copyOf(files);
    }

    public synchronized String webhookUrl() {
        return webhookUrl;
    }

    public synchronized String webhookSecret() {
        return webhookSecret;
    }

    // ---- scripting ----

    /** The next {@code times} calls of {@code method} get 429 with {@code parameters.retry_after}. */
    public FakeBotApi tooManyRequests(String method, int times, int retryAfter) {
        ObjectNode p = JSON.createObjectNode().put("retry_after", retryAfter);
        for (int i = 0; i < times; i++) script(method, new BotError(429, "Too Many Requests: retry after " + retryAfter, p));
        return this;
    }

    public FakeBotApi serverError(String method) {
        return script(method, new BotError(502, "Bad Gateway", null));
    }

    /** The next call of {@code method} is answered only after {@code delay}: longer than a client's read timeout, it times out. */
    public synchronized FakeBotApi stall(String method, Duration delay) {
        stalls.put(method, delay);
        return this;
    }

    /** The next call of {@code method} is carried out at once but answered only after {@code delay} (a slow round trip). */
    public synchronized FakeBotApi slow(String method, Duration delay) {
        slow.put(method, delay);
        return this;
    }

    public FakeBotApi refuse(String method, int code, String description) {
        return script(method, new BotError(code, description, null));
    }

    private synchronized FakeBotApi script(String method, BotError error) {
        scripted.computeIfAbsent(method, m -> new ArrayDeque<>()).add(error);
        return this;
    }

    /** Privacy mode on (Telegram's default) or off (@BotFather's /setprivacy → Disable); getMe tells which. */
    public synchronized FakeBotApi privacy(boolean on) {
        privacy = on;
        return this;
    }

    /** The bot is made an administrator of the group: it receives every message there, privacy mode or not. */
    public synchronized void makeAdmin(String chatId) {
        chat(chatId).botIsAdmin = true;
    }

    /** The ids of the updates Telegram withheld from the bot (privacy mode), in the order they were pushed or queued. */
    public synchronized List<Long> withheld() {
        return List.copyOf(withheld);
    }

    /**
     * Whether Telegram hands this update to the bot: in privacy mode, a group's plain words are withheld
     * unless the bot is an administrator there.
     */
    private synchronized boolean delivered(ObjectNode update) {
        JsonNode message = update.has("message") ? update.get("message") : update.get("edited_message");
        if (message == null || !privacy) return true;
        String type = message.path("chat").path("type").asText();
        if (!type.equals("group") && !type.equals("supergroup")) return true;
        Chat chat = chat(message.path("chat").path("id").asText());
        if (chat.botIsAdmin) return true;
        for (String field : SERVICE) if (message.has(field)) return true;
        String text = message.has("text") ? message.get("text").asText() : message.path("caption").asText("");
        if (text.startsWith("/")) {
            String command = text.split("\\s+", 2)[0];
            int at = command.indexOf('@');
            return at < 0 || command.substring(at + 1).equalsIgnoreCase(BOT_USERNAME);
        }
        if (text.toLowerCase(java.util.Locale.ROOT).contains("@" + BOT_USERNAME.toLowerCase(java.util.Locale.ROOT))) return true;
        JsonNode replied = message.get("reply_to_message");
        if (replied == null) return false;
        if (replied.path("from").path("id").asLong() == BOT_ID) return true;
        long repliedId = replied.path("message_id").asLong(-1);
        // a reply that names only the message id: it answers the bot when the bot posted that message in this chat
        return chat.messages.stream().anyMatch(m -> m.messageId == repliedId);
    }

    /** The bot is thrown out of the group: every send there is a 403 from now on. */
    public synchronized void kick(String chatId) {
        chat(chatId).forbidden = chatId.startsWith("-100") ? "Forbidden: bot was kicked from the supergroup chat"
                : "Forbidden: bot was kicked from the group chat";
    }

    /** The group became a supergroup: sends to the old id are refused with migrate_to_chat_id. */
    public synchronized void migrate(String oldChatId, String newChatId) {
        chat(oldChatId).migratedTo = newChatId;
    }

    /** Where Convene really listens; the webhook URL's path is kept (as a TLS proxy in front would). */
    public synchronized void webhookTarget(String baseUrl) {
        webhookTarget = HttpUrl.get(baseUrl);
    }

    // ---- updates ----

    /** Queues an update for getUpdates. */
    public void enqueue(ObjectNode update) {
        if (!delivered(update)) {
            withhold(update);
            return;
        }
        synchronized (this) {
            queue.add(update);
            notifyAll();
        }
    }

    /** What the webhook answered; status 0 when Telegram withheld the update (privacy mode) and pushed nothing. */
    public record Pushed(int status, String body) {}

    private synchronized void withhold(ObjectNode update) {
        withheld.add(update.path("update_id").asLong());
    }

    /** Pushes an update to the registered webhook with its secret, as Telegram does, and carries out a method in the answer. */
    public Pushed push(ObjectNode update) {
        String secret;
        synchronized (this) {
            if (webhookUrl == null) throw new IllegalStateException("no webhook set");
            secret = webhookSecret;
        }
        return push(update, secret);
    }

    /** Pushes with the given secret header value (null for none). */
    public Pushed push(ObjectNode update, String secret) {
        if (!delivered(update)) {
            withhold(update);
            return new Pushed(0, "");
        }
        HttpUrl target;
        synchronized (this) {
            HttpUrl registered = HttpUrl.get(webhookUrl);
            target = webhookTarget == null ? registered : webhookTarget.newBuilder().encodedPath(registered.encodedPath()).build();
        }
        Request.Builder request = new Request.Builder().url(target)
                .post(RequestBody.create(update.toString(), MediaType.get("application/json")));
        if (secret != null) request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        try (Response response = pusher.newCall(request.build()).execute()) {
            String body = response.body().string();
            if (response.isSuccessful() && !body.isBlank()) {
                JsonNode answer = JSON.readTree(body);
                if (answer.hasNonNull("method")) {
                    ObjectNode params = ((ObjectNode) answer).deepCopy();
                    params.remove("method");
                    synchronized (this) {
                        calls.add(new Call(answer.get("method").asText(), params, Map.of(), true));
                        try {
                            perform(answer.get("method").asText(), params, Map.of());
                        } catch (Refusal ignored) {
                            // Telegram does not tell the webhook whether its answer worked
                        }
                    }
                }
            }
            return new Pushed(response.code(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long nextUpdateId() {
        return nextUpdateId.getAndIncrement();
    }

    /** A sample from src/test/resources/telegram/. */
    public static ObjectNode sample(String name) {
        try (InputStream in = FakeBotApi.class.getResourceAsStream("/telegram/" + name)) {
            if (in == null) throw new IllegalArgumentException("no sample " + name);
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Someone types {@code text} in the chat. */
    public ObjectNode textUpdate(String chatId, User from, String text) {
        ObjectNode u = sample("message_command.json").put("update_id", nextUpdateId());
        ObjectNode m = (ObjectNode) u.get("message");
        m.put("message_id", 5000 + u.get("update_id").asLong() % 1000).put("text", text);
        userMessages.add(chatId + ":" + m.get("message_id").asLong());
        chatOf(m, chatId);
        from(m, from);
        return u;
    }

    /** Someone answers a message the bot posted by replying to it, as Telegram shows the replied message (from the bot). */
    public ObjectNode replyUpdate(Posted to, User from, String text) {
        ObjectNode u = textUpdate(to.chatId, from, text);
        ObjectNode replied = ((ObjectNode) u.get("message")).putObject("reply_to_message").put("message_id", to.messageId).put("date", DATE);
        replied.putObject("from").put("id", BOT_ID).put("is_bot", true).put("first_name", "Convene").put("username", BOT_USERNAME);
        chatOf(replied, to.chatId);
        if (to.text != null) replied.put("text", to.text);
        return u;
    }

    /** Someone presses a button of a message the bot posted; the query id becomes answerable once. */
    public ObjectNode pressUpdate(Posted message, User from, String data) {
        ObjectNode u = sample("callback_query.json").put("update_id", nextUpdateId());
        ObjectNode q = (ObjectNode) u.get("callback_query");
        String queryId = "43821" + u.get("update_id").asText();
        q.put("id", queryId).put("data", data);
        from(q, from);
        ObjectNode m = (ObjectNode) q.get("message");
        m.put("message_id", message.messageId).put("text", message.text);
        chatOf(m, message.chatId);
        synchronized (this) {
            openCallbacks.add(queryId);
        }
        return u;
    }

    /** The bot was added to a group by a member. */
    public ObjectNode botAddedUpdate(String chatId, String title) {
        ObjectNode u = sample("my_chat_member_added.json").put("update_id", nextUpdateId());
        ObjectNode chat = chatOf((ObjectNode) u.get("my_chat_member"), chatId);
        chat.put("title", title);
        return u;
    }

    public ObjectNode botKickedUpdate(String chatId) {
        ObjectNode u = sample("my_chat_member_kicked.json").put("update_id", nextUpdateId());
        chatOf((ObjectNode) u.get("my_chat_member"), chatId);
        return u;
    }

    public ObjectNode migrateUpdate(String oldChatId, String newChatId) {
        ObjectNode u = sample("message_migrate_to.json").put("update_id", nextUpdateId());
        ObjectNode m = (ObjectNode) u.get("message");
        chatOf(m, oldChatId);
        m.put("migrate_to_chat_id", Long.parseLong(newChatId));
        return u;
    }

    private static ObjectNode chatOf(ObjectNode holder, String chatId) {
        ObjectNode chat = holder.putObject("chat");
        chat.put("id", Long.parseLong(chatId)).put("type", chatId.startsWith("-100") ? "supergroup" : chatId.startsWith("-") ? "group" : "private");
        if (chatId.startsWith("-")) chat.put("title", "Chi bộ " + chatId);
        return chat;
    }

    private static void from(ObjectNode holder, User user) {
        ObjectNode from = holder.putObject("from").put("id", user.id()).put("is_bot", false).put("first_name", user.firstName());
        if (user.username() != null) from.put("username", user.username());
    }

    // ---- the server side ----

    private MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        List<String> segments = request.getUrl().pathSegments();
        if (segments.size() != 2 || !segments.get(0).startsWith("bot")) return answer(new BotError(404, "Not Found", null));
        if (!segments.get(0).equals("bot" + TOKEN)) return answer(new BotError(401, "Unauthorized", null));
        String method = segments.get(1);
        Call call;
        try {
            call = parse(method, request);
        } catch (IOException | RuntimeException e) {
            return answer(new BotError(400, "Bad Request: cannot parse the request: " + e.getMessage(), null));
        }
        Duration late;
        synchronized (this) {
            late = slow.remove(method);
        }
        MockResponse answer = answer(method, call);
        return late == null ? answer : new MockResponse.Builder(answer).headersDelay(late.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).build();
    }

    private MockResponse answer(String method, Call call) throws InterruptedException {
        synchronized (this) {
            calls.add(call);
            Duration stall = stalls.remove(method);
            if (stall != null) {
                return new MockResponse.Builder(ok(JSON.createObjectNode())).headersDelay(stall.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .build();
            }
            Deque<BotError> script = scripted.get(method);
            if (script != null && !script.isEmpty()) return answer(script.poll());
        }
        try {
            if (method.equals("getUpdates")) return ok(getUpdates(call.params()));
            synchronized (this) {
                return ok(perform(method, call.params(), call.files()));
            }
        } catch (Refusal r) {
            return answer(r.error);
        }
    }

    private JsonNode perform(String method, ObjectNode p, Map<String, Upload> uploaded) {
        return switch (method) {
            case "getMe" -> JSON.createObjectNode().put("id", BOT_ID).put("is_bot", true).put("first_name", "Convene")
                    .put("username", BOT_USERNAME).put("can_join_groups", true).put("can_read_all_group_messages", !privacy)
                    .put("supports_inline_queries", false);
            case "setWebhook" -> {
                String url = text(p, "url");
                if (url == null || url.isEmpty()) {
                    webhookUrl = null;
                } else {
                    String secret = text(p, "secret_token");
                    if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) throw new Refusal(400, "Bad Request: secret token contains unallowed characters");
                    webhookUrl = url;
                    webhookSecret = secret;
                }
                yield JSON.getNodeFactory().booleanNode(true);
            }
            case "deleteWebhook" -> {
                webhookUrl = null;
                webhookSecret = null;
                yield JSON.getNodeFactory().booleanNode(true);
            }
            case "sendMessage" -> sendMessage(p);
            case "sendDocument" -> sendDocument(p, uploaded);
            case "editMessageText" -> editMessageText(p);
            case "editMessageReplyMarkup" -> editMessageReplyMarkup(p);
            case "setMessageReaction" -> {
                String key = required(p, "chat_id") + ":" + required(p, "message_id");
                if (!userMessages.contains(key)) throw new Refusal(400, "Bad Request: message to react not found");
                JsonNode reaction = p.get("reaction");
                if (reaction == null || !reaction.isArray()) throw new Refusal(400, "Bad Request: reaction must be an array");
                if (reaction.size() > 1) throw new Refusal(400, "Bad Request: REACTIONS_TOO_MANY");
                if (reaction.isEmpty()) {
                    reactions.remove(key);
                } else {
                    JsonNode r = reaction.get(0);
                    if (!"emoji".equals(r.path("type").asText()) || !REACTION_EMOJI.contains(r.path("emoji").asText())) {
                        throw new Refusal(400, "Bad Request: REACTION_INVALID");
                    }
                    reactions.put(key, r.get("emoji").asText());
                }
                yield JSON.getNodeFactory().booleanNode(true);
            }
            case "answerCallbackQuery" -> {
                String id = text(p, "callback_query_id");
                if (!openCallbacks.remove(id)) throw new Refusal(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
                String text = text(p, "text");
                if (text != null && text.length() > 200) throw new Refusal(400, "Bad Request: MESSAGE_TOO_LONG");
                yield JSON.getNodeFactory().booleanNode(true);
            }
            default -> throw new Refusal(404, "Not Found");
        };
    }

    private JsonNode getUpdates(ObjectNode p) throws InterruptedException {
        synchronized (this) {
            if (webhookUrl != null) throw new Refusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        long offset = p.path("offset").asLong(0);
        long timeout = p.path("timeout").asLong(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
        synchronized (this) {
            // an offset confirms every update before it: those are gone for good, as on Telegram
            queue.removeIf(u -> u.get("update_id").asLong() < offset);
            while (queue.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                wait(Math.max(1, left / 1_000_000));
            }
            ArrayNode result = JSON.createArrayNode();
            queue.stream().limit(100).forEach(result::add);
            return result;
        }
    }

    private JsonNode sendMessage(ObjectNode p) {
        Chat chat = writable(text(p, "chat_id"));
        String html = required(p, "text");
        String text = "HTML".equals(text(p, "parse_mode")) ? visible(html) : html;
        if (text.isBlank()) throw new Refusal(400, "Bad Request: message text is empty");
        if (text.length() > 4096) throw new Refusal(400, "Bad Request: message is too long");
        JsonNode markup = keyboard(p);
        Posted posted = new Posted(chat.nextMessageId++, text(p, "chat_id"), html, text, markup, null);
        chat.messages.add(posted);
        return message(posted);
    }

    private JsonNode sendDocument(ObjectNode p, Map<String, Upload> uploaded) {
        Chat chat = writable(text(p, "chat_id"));
        String fileId;
        Upload file = uploaded.get("document");
        if (file != null) {
            fileId = "BQACAgIAAxkBAAI" + nextFile.getAndIncrement() + "_fake";
            files.put(fileId, file);
        } else {
            fileId = required(p, "document");
            if (!files.containsKey(fileId)) throw new Refusal(400, "Bad Request: wrong file identifier/HTTP URL specified");
            file = files.get(fileId);
        }
        String caption = text(p, "caption");
        String visibleCaption = caption == null ? null : "HTML".equals(text(p, "parse_mode")) ? visible(caption) : caption;
        if (visibleCaption != null && visibleCaption.length() > 1024) throw new Refusal(400, "Bad Request: message caption is too long");
        Posted posted = new Posted(chat.nextMessageId++, text(p, "chat_id"), caption, visibleCaption, keyboard(p), fileId);
        chat.messages.add(posted);
        ObjectNode message = message(posted);
        message.putObject("document").put("file_name", file.filename()).put("mime_type", file.mediaType())
                .put("file_id", fileId).put("file_unique_id", "AgAD" + fileId.hashCode()).put("file_size", file.bytes().length);
        return message;
    }

    private JsonNode editMessageText(ObjectNode p) {
        Posted posted = existing(p);
        String html = required(p, "text");
        String text = "HTML".equals(text(p, "parse_mode")) ? visible(html) : html;
        if (text.length() > 4096) throw new Refusal(400, "Bad Request: MESSAGE_TOO_LONG");
        JsonNode markup = keyboard(p);
        if (text.equals(posted.text) && markup.equals(posted.replyMarkup)) throw notModified();
        posted.html = html;
        posted.text = text;
        posted.replyMarkup = markup;
        posted.edits++;
        return message(posted);
    }

    private JsonNode editMessageReplyMarkup(ObjectNode p) {
        Posted posted = existing(p);
        JsonNode markup = keyboard(p);
        if (markup.equals(posted.replyMarkup)) throw notModified();
        posted.replyMarkup = markup;
        posted.edits++;
        return message(posted);
    }

    private static Refusal notModified() {
        return new Refusal(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
                + "as a current content and reply markup of the message");
    }

    private Posted existing(ObjectNode p) {
        Chat chat = writable(text(p, "chat_id"));
        long id = p.path("message_id").asLong(-1);
        return chat.messages.stream().filter(m -> m.messageId == id).findFirst()
                .orElseThrow(() -> new Refusal(400, "Bad Request: message to edit not found"));
    }

    /** The chat, or Telegram's refusal for a migrated group or a bot that is not there any more. */
    private Chat writable(String chatId) {
        if (chatId == null) throw new Refusal(400, "Bad Request: chat_id is empty");
        Chat chat = chat(chatId);
        if (chat.migratedTo != null) {
            throw new Refusal(new BotError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                    JSON.createObjectNode().put("migrate_to_chat_id", Long.parseLong(chat.migratedTo))));
        }
        if (chat.forbidden != null) throw new Refusal(403, chat.forbidden);
        return chat;
    }

    private Chat chat(String chatId) {
        return chats.computeIfAbsent(chatId, id -> new Chat());
    }

    /** The inline keyboard, checked as Telegram does: each button has a text and 1–64 bytes of callback_data. */
    private static JsonNode keyboard(ObjectNode p) {
        JsonNode markup = p.has("reply_markup") ? new Call("", p, Map.of(), false).json("reply_markup") : JSON.createObjectNode();
        for (JsonNode row : markup.path("inline_keyboard")) {
            for (JsonNode button : row) {
                if (button.path("text").asText("").isEmpty()) throw new Refusal(400, "Bad Request: text buttons are unallowed in the inline keyboard");
                int bytes = button.path("callback_data").asText("").getBytes(StandardCharsets.UTF_8).length;
                if (bytes < 1 || bytes > 64) throw new Refusal(400, "Bad Request: BUTTON_DATA_INVALID");
            }
        }
        return markup;
    }

    private static ObjectNode message(Posted posted) {
        ObjectNode m = JSON.createObjectNode().put("message_id", posted.messageId).put("date", DATE);
        m.putObject("from").put("id", BOT_ID).put("is_bot", true).put("first_name", "Convene").put("username", BOT_USERNAME);
        ObjectNode chat = m.putObject("chat").put("id", Long.parseLong(posted.chatId));
        chat.put("type", posted.chatId.startsWith("-100") ? "supergroup" : posted.chatId.startsWith("-") ? "group" : "private");
        if (posted.fileId == null) m.put("text", posted.text);
        else if (posted.text != null) m.put("caption", posted.text);
        if (posted.replyMarkup != null && posted.replyMarkup.path("inline_keyboard").size() > 0) m.set("reply_markup", posted.replyMarkup);
        return m;
    }

    /**
     * Telegram's HTML parse mode: the supported tags, properly nested; {@code & < >} only as entities
     * ({@code &lt; &gt; &amp; &quot;} or numeric). Returns the text as a reader sees it, or refuses as Telegram does.
     */
    static String visible(String html) {
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) throw cantParse("Unclosed start tag at byte offset " + i);
                String tag = html.substring(i + 1, end).strip();
                if (tag.startsWith("/")) {
                    String name = tag.substring(1).strip();
                    if (open.isEmpty() || !open.peek().equals(name)) throw cantParse("Unmatched end tag at byte offset " + i + ", expected \"</"
                            + open.peek() + ">\", found \"</" + name + ">\"");
                    open.pop();
                } else {
                    String name = tag.split("\\s+", 2)[0];
                    if (!TAGS.contains(name)) throw cantParse("Unsupported start tag \"" + name + "\" at byte offset " + i);
                    if (name.equals("a") && !tag.matches("a\\s+href=\"[^\"]*\"")) throw cantParse("Tag \"a\" must have attribute href at byte offset " + i);
                    open.push(name);
                }
                i = end + 1;
            } else if (c == '&') {
                Matcher m = Pattern.compile("&(lt|gt|amp|quot|#\\d+|#x[0-9a-fA-F]+);").matcher(html).region(i, html.length());
                if (!m.lookingAt()) throw cantParse("Character entity expected at byte offset " + i);
                String e = m.group(1);
                out.append(switch (e) {
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "amp" -> "&";
                    case "quot" -> "\"";
                    default -> new String(Character.toChars(e.startsWith("#x") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1))));
                });
                i = m.end();
            } else if (c == '>') {
                throw cantParse("Unexpected end of tag at byte offset " + i);
            } else {
                out.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) throw cantParse("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
        return out.toString();
    }

    private static Refusal cantParse(String what) {
        return new Refusal(400, "Bad Request: can't parse entities: " + what);
    }

    private static String text(ObjectNode p, String name) {
        JsonNode v = p.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(ObjectNode p, String name) {
        String v = text(p, name);
        if (v == null) throw new Refusal(400, "Bad Request: " + name + " is empty");
        return v;
    }

    private static Call parse(String method, RecordedRequest request) throws IOException {
        ObjectNode params = JSON.createObjectNode();
        Map<String, Upload> uploads = new LinkedHashMap<>();
        HttpUrl url = request.getUrl();
        for (String name : url.queryParameterNames()) params.put(name, url.queryParameter(name));
        String type = request.getHeaders().get("Content-Type");
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        MediaType media = type == null ? null : MediaType.parse(type);
        if (media == null || body.length == 0) {
            // no parameters
        } else if (media.subtype().equals("json")) {
            params.setAll((ObjectNode) JSON.readTree(body));
        } else if (media.subtype().equals("x-www-form-urlencoded")) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.isEmpty()) continue;
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        } else if (media.subtype().equals("form-data")) {
            try (MultipartReader reader = new MultipartReader(new Buffer().write(body), media.parameter("boundary"))) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = part.headers().get("Content-Disposition");
                    String name = attribute(disposition, "name");
                    String filename = attribute(disposition, "filename");
                    byte[] bytes = part.body().readByteArray();
                    if (filename != null) {
                        uploads.put(name, new Upload(filename, part.headers().get("Content-Type"), bytes));
                    } else {
                        params.put(name, new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
        } else {
            throw new IOException("unsupported Content-Type " + type);
        }
        return new Call(method, params, uploads, false);
    }

    private static String attribute(String disposition, String name) {
        Matcher m = Pattern.compile("(?:^|;)\\s*" + name + "=\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(disposition);
        return m.find() ? m.group(1).replace("\\\"", "\"") : null;
    }

    private static MockResponse ok(JsonNode result) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        body.set("result", result);
        return json(200, body);
    }

    private static MockResponse answer(BotError error) {
        ObjectNode body = JSON.createObjectNode().put("ok", false).put("error_code", error.code()).put("description", error.description());
        if (error.parameters() != null) body.set("parameters", error.parameters());
        return json(error.code(), body);
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body.toString()).build();
    }

    private synchronized void wakeWaitingPolls() {
        closed = true;
        notifyAll();
    }

    @Override
    public void close() {
        wakeWaitingPolls();
        server.close();
        pusher.dispatcher().executorService().shutdown();
        pusher.connectionPool().evictAll();
    }
}
