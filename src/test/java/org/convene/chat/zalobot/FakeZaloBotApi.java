package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A stand-in for Zalo's Bot API on real HTTP, as strict as the published reference: {@code POST
 * /bot<TOKEN>/<method>} with a JSON object body (anything else is refused), answers in the {@code {"ok",
 * "result"}} / {@code {"ok":false,"error_code","description"}} envelope with HTTP 200 either way (so only
 * {@code ok} tells success), a wrong token 401, {@code text} of 1–2,000 characters, {@code secret_token} of
 * 8–256 characters and an HTTPS webhook URL, getUpdates refused while a webhook is set, sends only into
 * chats the bot is in (403 otherwise). Errors can be scripted; events are pushed to the webhook with the
 * {@code X-Bot-Api-Secret-Token} header, or queued for getUpdates.
 */
public final class FakeZaloBotApi implements AutoCloseable {
    public static final String BOT_ID = "1459232241454765289";
    public static final String TOKEN = BOT_ID + ":fake-bot-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    /** How long an empty getUpdates is held before "no update" (shorter than Zalo's 30 s, so that tests stay quick). */
    private static final long EMPTY_POLL_MILLIS = 300;

    /** A message the bot sent. */
    public record Sent(String messageId, String chatId, String text) {}

    /** A picture the bot sent: the address Zalo fetched it from, what it got there, and the caption. */
    public record Photo(String messageId, String chatId, String url, String contentType, int bytes, String caption) {}

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient pusher = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final Set<String> chats = new HashSet<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Photo> photos = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, Deque<Object[]>> scripted = new HashMap<>();
    private final LinkedBlockingDeque<ObjectNode> updates = new LinkedBlockingDeque<>();
    private final AtomicLong next = new AtomicLong(1);
    private volatile boolean canJoinGroups = true;
    private volatile String webhookUrl = "";
    private volatile String webhookSecret;
    private volatile long sendDelayMillis;

    public FakeZaloBotApi() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return FakeZaloBotApi.this.dispatch(request);
                } catch (IOException | InterruptedException e) {
                    return new MockResponse.Builder().code(500).body("fake failed: " + e).build();
                }
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL for CONVENE_ZALOBOT_API_URL. */
    public String url() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    /** The bot was added to this group (or the user wrote to it privately): it may send there. */
    public synchronized void join(String chatId) {
        chats.add(chatId);
    }

    /** The bot was removed from the group: sends there answer 403. */
    public synchronized void leave(String chatId) {
        chats.remove(chatId);
    }

    /** What getMe says about groups. */
    public void canJoinGroups(boolean can) {
        canJoinGroups = can;
    }

    /** Each sendMessage takes this long (a slow Zalo). */
    public void sendDelay(Duration delay) {
        sendDelayMillis = delay.toMillis();
    }

    /** The next {@code times} calls of {@code method} answer {@code ok:false} with this code. */
    public synchronized void failNext(String method, int errorCode, String description, int times) {
        Deque<Object[]> queue = scripted.computeIfAbsent(method, m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) queue.add(new Object[] {errorCode, description});
    }

    public synchronized List<Sent> sent(String chatId) {
        return sent.stream().filter(s -> s.chatId().equals(chatId)).toList();
    }

    public synchronized List<Photo> photos(String chatId) {
        return photos.stream().filter(p -> p.chatId().equals(chatId)).toList();
    }

    /** Every method called, in order. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public String webhookUrl() {
        return webhookUrl;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    /** A {@code message.text.received} event as Zalo wraps it. */
    public static ObjectNode textEvent(String chatId, boolean group, String userId, String name, String text, String messageId) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        ObjectNode result = body.putObject("result").put("event_name", "message.text.received");
        ObjectNode message = result.putObject("message");
        message.putObject("from").put("id", userId).put("display_name", name).put("is_bot", false);
        message.putObject("chat").put("id", chatId).put("chat_type", group ? "GROUP" : "PRIVATE");
        message.put("text", text).put("message_id", messageId).put("date", 1_764_550_000_000L);
        return body;
    }

    /** Any other event ({@code message.sticker.received}, {@code message.unsupported.received}, a new name). */
    public static ObjectNode otherEvent(String eventName, String chatId, String userId, String messageId) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        ObjectNode result = body.putObject("result").put("event_name", eventName);
        ObjectNode message = result.putObject("message");
        message.putObject("from").put("id", userId).put("display_name", "Someone").put("is_bot", false);
        message.putObject("chat").put("id", chatId).put("chat_type", "GROUP");
        message.put("message_id", messageId).put("date", 1_764_550_000_000L);
        return body;
    }

    /** Pushes an event to the webhook Convene set, with the secret it set; answers the HTTP status. */
    public int push(JsonNode event) {
        return push(event.toString(), webhookSecret);
    }

    /** Pushes a raw body with the given secret header (null for none). */
    public int push(String body, String secret) {
        if (webhookUrl.isEmpty()) throw new IllegalStateException("no webhook was set");
        Request.Builder request = new Request.Builder().url(webhookUrl).post(RequestBody.create(body, MediaType.get("application/json")));
        if (secret != null) request.header("X-Bot-Api-Secret-Token", secret);
        try (Response r = pusher.newCall(request.build()).execute()) {
            return r.code();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queues an event for getUpdates (polling mode). */
    public void queue(ObjectNode event) {
        updates.add(event);
    }

    public int queued() {
        return updates.size();
    }

    private MockResponse dispatch(RecordedRequest request) throws IOException, InterruptedException {
        String path = request.getUrl().encodedPath();
        if (!path.startsWith("/bot") || path.indexOf('/', 4) < 0) return error(404, "Not Found");
        String token = path.substring(4, path.indexOf('/', 4));
        String method = path.substring(path.indexOf('/', 4) + 1);
        synchronized (this) {
            calls.add(method);
        }
        if (!token.equals(TOKEN)) return error(401, "Unauthorized");
        if (!"POST".equals(request.getMethod())) return error(405, "Method Not Allowed");
        String type = request.getHeaders().get("Content-Type");
        if (type == null || !type.startsWith("application/json")) return error(400, "Bad Request: the body must be JSON");
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody() == null ? "" : request.getBody().utf8());
        } catch (IOException e) {
            return error(400, "Bad Request: the body is not JSON");
        }
        if (body == null || !body.isObject()) return error(400, "Bad Request: the body must be a JSON object");
        Object[] failure = scriptedFailure(method);
        if (failure != null) return error((Integer) failure[0], (String) failure[1]);
        return switch (method) {
            case "getMe" -> ok(JSON.createObjectNode().put("id", BOT_ID).put("account_name", "bot.Convene").put("account_type", "BASIC")
                    .put("can_join_groups", canJoinGroups));
            case "setWebhook" -> setWebhook(body);
            case "deleteWebhook" -> {
                webhookUrl = "";
                yield ok(JSON.createObjectNode().put("url", "").put("updated_at", 1_764_550_000_000L));
            }
            case "getWebhookInfo" -> ok(JSON.createObjectNode().put("url", webhookUrl).put("updated_at", 1_764_550_000_000L));
            case "getUpdates" -> getUpdates(body);
            case "sendMessage" -> sendMessage(body);
            case "sendPhoto" -> sendPhoto(body);
            default -> error(404, "Not Found: no method " + method);
        };
    }

    private MockResponse setWebhook(JsonNode body) {
        String url = body.path("url").asText("");
        String secret = body.path("secret_token").asText("");
        // Zalo wants public HTTPS; the fake lets the test's own http://localhost address through and nothing else plain
        if (!url.startsWith("https://") && !url.startsWith("http://localhost:")) return error(400, "Bad Request: url must be HTTPS");
        if (secret.length() < 8 || secret.length() > 256) return error(400, "Bad Request: secret_token must be 8 to 256 characters");
        webhookUrl = url;
        webhookSecret = secret;
        return ok(JSON.createObjectNode().put("url", url).put("updated_at", 1_764_550_000_000L));
    }

    private MockResponse getUpdates(JsonNode body) throws InterruptedException {
        if (!webhookUrl.isEmpty()) return error(400, "Bad Request: a webhook is set; delete it before getUpdates");
        JsonNode timeout = body.path("timeout");
        if (!timeout.isMissingNode() && !timeout.asText().matches("\\d+")) return error(400, "Bad Request: timeout must be seconds");
        ObjectNode event = updates.poll(EMPTY_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (event == null) return error(408, "Request timeout");
        // one update per call, as the reference's sample shows: the event's own envelope is the answer
        return json(event);
    }

    private MockResponse sendMessage(JsonNode body) throws InterruptedException {
        String chatId = body.path("chat_id").asText("");
        JsonNode text = body.path("text");
        if (chatId.isEmpty()) return error(400, "Bad Request: chat_id is required");
        if (!text.isTextual() || text.asText().isEmpty() || text.asText().length() > 2000) {
            return error(400, "Bad Request: text must be 1 to 2000 characters");
        }
        synchronized (this) {
            if (!chats.contains(chatId)) return error(403, "Forbidden: the bot is not a member of this chat");
        }
        if (sendDelayMillis > 0) Thread.sleep(sendDelayMillis);
        String id = String.format("%020x", next.getAndIncrement());
        synchronized (this) {
            sent.add(new Sent(id, chatId, text.asText()));
        }
        return ok(JSON.createObjectNode().put("message_id", id).put("date", 1_764_550_000_000L));
    }

    /** Zalo fetches the picture itself: an address it cannot fetch, or that is not a picture, is refused. */
    private MockResponse sendPhoto(JsonNode body) {
        String chatId = body.path("chat_id").asText("");
        String url = body.path("photo").asText("");
        JsonNode caption = body.path("caption");
        if (chatId.isEmpty()) return error(400, "Bad Request: chat_id is required");
        if (!url.matches("https?://.+")) return error(400, "Bad Request: photo must be a URL");
        if (!caption.isMissingNode() && (!caption.isTextual() || caption.asText().isEmpty() || caption.asText().length() > 2000)) {
            return error(400, "Bad Request: caption must be 1 to 2000 characters");
        }
        synchronized (this) {
            if (!chats.contains(chatId)) return error(403, "Forbidden: the bot is not a member of this chat");
        }
        String type;
        int size;
        try (Response r = pusher.newCall(new Request.Builder().url(url).get().build()).execute()) {
            type = r.header("Content-Type", "");
            size = r.body().bytes().length;
            if (r.code() != 200 || !type.startsWith("image/")) return error(400, "Bad Request: cannot fetch a picture from the photo URL");
        } catch (IOException e) {
            return error(400, "Bad Request: cannot fetch the photo URL");
        }
        String id = String.format("%020x", next.getAndIncrement());
        synchronized (this) {
            photos.add(new Photo(id, chatId, url, type, size, caption.isMissingNode() ? null : caption.asText()));
        }
        return ok(JSON.createObjectNode().put("message_id", id).put("date", 1_764_550_000_000L));
    }

    private synchronized Object[] scriptedFailure(String method) {
        Deque<Object[]> queue = scripted.get(method);
        return queue == null ? null : queue.poll();
    }

    private static MockResponse ok(JsonNode result) {
        ObjectNode body = JSON.createObjectNode().put("ok", true);
        body.set("result", result);
        return json(body);
    }

    /** Refusals come with HTTP 200 too: a client that trusts the status alone gets them wrong. */
    private static MockResponse error(int code, String description) {
        return json(JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description));
    }

    private static MockResponse json(JsonNode body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body.toString()).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
