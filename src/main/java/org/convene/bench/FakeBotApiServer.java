package org.convene.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MultipartReader;
import okio.Okio;

/**
 * An in-process stand-in for the Telegram Bot API on real HTTP (the JDK's own server), speaking its wire
 * format for what Convene calls: getMe, setWebhook, deleteWebhook, sendMessage, sendDocument (a multipart
 * upload answered with {@code document.file_id}, or a known file id), editMessageText, answerCallbackQuery.
 * It enforces a rate for the whole bot in any one-second window and 20 messages in any minute per group
 * ({@link BotApiRateLimits}), answering 429 with a {@code retry_after} that grows for repeated floods, and
 * counts what it saw. It keeps no messages, so a province-sized wave
 * costs it little memory.
 */
public final class FakeBotApiServer implements AutoCloseable {
    public static final long BOT_ID = 7000000001L;
    public static final String TOKEN = BOT_ID + ":AAHbenchTokenNotARealBot_0123456789ab";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/bot" + TOKEN + "/";

    /** What the fake saw; times are {@link System#nanoTime()} of the first and last accepted message. */
    public record Counts(long accepted, long texts, long uploads, long sentByFileId, long edits, long callbackAnswers,
                         long tooManyRequests, long documentsBeforeText, long firstAcceptedNanos, long lastAcceptedNanos) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BotApiRateLimits limits;
    private final long halfTripNanos;
    private final Map<String, Long> files = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> messageIds = new ConcurrentHashMap<>();
    private final Map<String, Boolean> chatsWithText = new ConcurrentHashMap<>();
    private final AtomicLong texts = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong byFileId = new AtomicLong();
    private final AtomicLong edits = new AtomicLong();
    private final AtomicLong callbackAnswers = new AtomicLong();
    private final AtomicLong tooMany = new AtomicLong();
    private final AtomicLong documentsBeforeText = new AtomicLong();
    private final AtomicLong firstAccepted = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastAccepted = new AtomicLong(Long.MIN_VALUE);
    private long[] acceptedAt = new long[1024];
    /** When each accepted message's request reached the fake, before the simulated trip and the body's reading. */
    private long[] receivedAt = new long[1024];
    private static final ThreadLocal<Long> RECEIVED = new ThreadLocal<>();
    private int acceptedCount;
    private volatile String webhookUrl;
    private volatile String webhookSecret;

    /**
     * @param perSecond        the bot's rate in all (Telegram: about 30; paid broadcast: 1000)
     * @param perMinutePerChat messages a minute into one group (Telegram: 20)
     */
    public FakeBotApiServer(double perSecond, int perMinutePerChat) {
        this(perSecond, perMinutePerChat, java.time.Duration.ZERO);
    }

    /**
     * @param roundTrip the network's round trip to simulate (half on the way in, half on the way back): from a
     *                  server in Viet Nam, api.telegram.org is 100–300 ms away, and the dispatcher must keep its
     *                  rate with that many sends in flight
     */
    public FakeBotApiServer(double perSecond, int perMinutePerChat, java.time.Duration roundTrip) {
        this.halfTripNanos = roundTrip.toNanos() / 2;
        this.limits = new BotApiRateLimits(perSecond, perMinutePerChat);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to configure as {@code telegram.apiUrl}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String webhookUrl() {
        return webhookUrl;
    }

    public String webhookSecret() {
        return webhookSecret;
    }

    public Counts counts() {
        long first = firstAccepted.get();
        long last = lastAccepted.get();
        return new Counts(texts.get() + uploads.get() + byFileId.get() + edits.get(), texts.get(), uploads.get(), byFileId.get(),
                edits.get(), callbackAnswers.get(), tooMany.get(), documentsBeforeText.get(), first, last);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(PREFIX)) {
                drain(exchange.getRequestBody());
                reply(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String method = path.substring(PREFIX.length());
            String answer;
            int status = 200;
            long received = System.nanoTime();
            try {
                Request request = read(exchange);
                RECEIVED.set(received);
                travel();
                answer = perform(method, request);
            } catch (Refusal r) {
                status = r.code;
                answer = r.body;
            } catch (RuntimeException e) {
                status = 400;
                answer = error(400, "Bad Request: " + e.getMessage());
            }
            travel();
            reply(exchange, status, answer);
        } finally {
            exchange.close();
        }
    }

    /** Half the simulated round trip (on a virtual thread, a sleep costs nothing). */
    private void travel() {
        if (halfTripNanos == 0) return;
        try {
            Thread.sleep(java.time.Duration.ofNanos(halfTripNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The parameters of one call, from JSON or multipart, with the uploaded file's size if any. */
    private record Request(JsonNode params, long uploadedBytes) {
        String text(String name) {
            JsonNode v = params.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private String perform(String method, Request r) {
        return switch (method) {
            case "getMe" -> "{\"ok\":true,\"result\":{\"id\":" + BOT_ID
                    + ",\"is_bot\":true,\"first_name\":\"Convene\",\"username\":\"convene_bench_bot\",\"can_join_groups\":true}}";
            case "setWebhook" -> {
                webhookUrl = r.text("url");
                webhookSecret = r.text("secret_token");
                yield "{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}";
            }
            case "deleteWebhook" -> {
                webhookUrl = null;
                yield "{\"ok\":true,\"result\":true}";
            }
            case "sendMessage" -> {
                String chat = required(r, "chat_id");
                required(r, "text");
                admit(chat);
                texts.incrementAndGet();
                chatsWithText.put(chat, Boolean.TRUE);
                yield message(chat, null);
            }
            case "sendDocument" -> sendDocument(r);
            case "editMessageText" -> {
                String chat = required(r, "chat_id");
                String id = required(r, "message_id");
                required(r, "text");
                admit(chat);
                edits.incrementAndGet();
                yield "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":" + now() + ",\"chat\":{\"id\":" + chat
                        + ",\"type\":\"supergroup\"}}}";
            }
            case "answerCallbackQuery" -> {
                required(r, "callback_query_id");
                callbackAnswers.incrementAndGet();
                yield "{\"ok\":true,\"result\":true}";
            }
            default -> throw new Refusal(404, error(404, "Not Found: method not found"));
        };
    }

    private String sendDocument(Request r) {
        String chat = required(r, "chat_id");
        String document = r.text("document");
        String fileId;
        long size;
        if (r.uploadedBytes() >= 0) {
            admit(chat);
            fileId = "BQACAgIAAxkBAAIB" + uploads.incrementAndGet() + "_bench";
            size = r.uploadedBytes();
            files.put(fileId, size);
        } else {
            if (document == null) throw new Refusal(400, error(400, "Bad Request: there is no document in the request"));
            Long known = files.get(document);
            if (known == null) throw new Refusal(400, error(400, "Bad Request: wrong file identifier/HTTP URL specified"));
            admit(chat);
            byFileId.incrementAndGet();
            fileId = document;
            size = known;
        }
        // a group's agenda goes before its documents: a document into a chat that has no text yet is out of order
        if (!chatsWithText.containsKey(chat)) documentsBeforeText.incrementAndGet();
        return message(chat, "\"document\":{\"file_id\":\"" + fileId + "\",\"file_unique_id\":\"u" + fileId.hashCode()
                + "\",\"file_name\":\"document.pdf\",\"mime_type\":\"application/pdf\",\"file_size\":" + size + "}");
    }

    /** Counts the send in, or refuses it with Telegram's 429 and retry_after. */
    private void admit(String chat) {
        long now = System.nanoTime();
        int wait = limits.admit(chat, now);
        if (wait > 0) {
            tooMany.incrementAndGet();
            throw new Refusal(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after " + wait
                    + "\",\"parameters\":{\"retry_after\":" + wait + "}}");
        }
        firstAccepted.accumulateAndGet(now, Math::min);
        lastAccepted.accumulateAndGet(now, Math::max);
        synchronized (this) {
            if (acceptedCount == acceptedAt.length) {
                acceptedAt = java.util.Arrays.copyOf(acceptedAt, acceptedCount * 2);
                receivedAt = java.util.Arrays.copyOf(receivedAt, acceptedCount * 2);
            }
            Long received = RECEIVED.get();
            receivedAt[acceptedCount] = received == null ? now : received;
            acceptedAt[acceptedCount++] = now;
        }
    }

    /**
     * The most accepted messages in any one-second window, counted when they were admitted and when their
     * requests reached the fake: a difference is the jitter of the fake's own simulated trip on a busy machine.
     */
    public synchronized String mostInAnySecond() {
        return most(acceptedAt) + " when admitted, " + most(receivedAt) + " when received";
    }

    private int most(long[] times) {
        long[] sorted = java.util.Arrays.copyOf(times, acceptedCount);
        java.util.Arrays.sort(sorted);
        int best = 0;
        for (int first = 0, last = 0; last < sorted.length; last++) {
            while (sorted[last] - sorted[first] >= 1_000_000_000L) first++;
            best = Math.max(best, last - first + 1);
        }
        return best;
    }

    /** The 429s so far, by cause (for the operator's progress lines). */
    public String refusals() {
        return limits.refusals();
    }

    /**
     * Messages accepted per second over the middle of the run (between the given shares of all accepted
     * messages, e.g. 0.1 and 0.9): the sustained rate, without the first burst and the last stragglers.
     */
    public synchronized double sustainedRate(double from, double to) {
        if (acceptedCount < 10) return 0;
        long[] sorted = java.util.Arrays.copyOf(acceptedAt, acceptedCount);
        java.util.Arrays.sort(sorted);
        int a = (int) (from * (acceptedCount - 1));
        int b = (int) (to * (acceptedCount - 1));
        double seconds = (sorted[b] - sorted[a]) / 1e9;
        return seconds <= 0 ? 0 : (b - a) / seconds;
    }

    private String message(String chat, String extra) {
        long id = messageIds.computeIfAbsent(chat, c -> new AtomicLong()).incrementAndGet();
        return "{\"ok\":true,\"result\":{\"message_id\":" + id + ",\"date\":" + now() + ",\"chat\":{\"id\":" + chat
                + ",\"type\":\"supergroup\"},\"from\":{\"id\":" + BOT_ID + ",\"is_bot\":true,\"first_name\":\"Convene\"}"
                + (extra == null ? "" : "," + extra) + "}}";
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String required(Request r, String name) {
        String v = r.text(name);
        if (v == null || v.isEmpty()) throw new Refusal(400, error(400, "Bad Request: " + name + " is empty"));
        return v;
    }

    private static Request read(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        InputStream body = exchange.getRequestBody();
        if (type != null && type.startsWith("multipart/form-data")) {
            String boundary = type.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1");
            ObjectNode params = JSON.createObjectNode();
            long uploaded = -1;
            try (MultipartReader reader = new MultipartReader(Okio.buffer(Okio.source(body)), boundary)) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = String.valueOf(part.headers().get("Content-Disposition"));
                    String name = disposition.replaceFirst(".*\\bname=\"([^\"]*)\".*", "$1");
                    if (disposition.contains("filename=")) {
                        uploaded = part.body().readByteArray().length;
                    } else {
                        params.put(name, part.body().readUtf8());
                    }
                }
            }
            return new Request(params, uploaded);
        }
        byte[] bytes = body.readAllBytes();
        JsonNode params = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        return new Request(params, -1);
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(java.io.OutputStream.nullOutputStream());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String error(int code, String description) {
        return "{\"ok\":false,\"error_code\":" + code + ",\"description\":" + JSON.valueToTree(description) + "}";
    }

    /** A Bot API refusal: its HTTP status and Telegram's JSON body. */
    private static final class Refusal extends RuntimeException {
        final int code;
        final String body;

        Refusal(int code, String body) {
            super(body, null, false, false);
            this.code = code;
            this.body = body;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
