package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * A stand-in for Zalo's OA OpenAPI and OAuth server on real HTTP, speaking their wire format: OAuth v4
 * refresh with the {@code secret_key} header and single-use refresh tokens, {@code access_token} header on
 * every OpenAPI call (-216 when it is missing, unknown or made stale), GMF group messages, upload/file with
 * Zalo's type and size limits handing out file tokens, and answers in Zalo's {@code {"error","message","data"}}
 * envelope. Errors can be scripted (a rate-limit code), and webhook events are pushed signed as Zalo signs them.
 */
public final class FakeZaloApi implements AutoCloseable {
    public static final String APP_ID = "3141592653589793238";
    public static final String APP_SECRET = "fake-app-secret-key";
    public static final String OA_SECRET = "fake-oa-secret-key";
    public static final String FIRST_REFRESH_TOKEN = "rt-first";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A message the OA posted: into a group or to a user, a text or a file by its token. */
    public record Posted(String messageId, String groupId, String userId, String text, String fileToken) {}

    /** One file as uploaded. */
    public record Upload(String token, String filename, String mediaType, int size) {}

    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient pusher = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final Set<String> refreshTokens = new HashSet<>(Set.of(FIRST_REFRESH_TOKEN));
    private final List<String> spentRefreshTokens = new ArrayList<>();
    private final Set<String> accessTokens = new HashSet<>();
    private final Set<String> groups = new HashSet<>();
    private final List<Posted> posted = new ArrayList<>();
    private final List<Upload> uploads = new ArrayList<>();
    private final Map<String, Deque<int[]>> scripted = new HashMap<>();
    private final Map<String, String> scriptedMessages = new HashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicLong nextToken = new AtomicLong(1);
    private final List<String> accessTokensSeen = new ArrayList<>();

    public FakeZaloApi() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return FakeZaloApi.this.dispatch(request);
                } catch (IOException e) {
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

    /** The base URL for both CONVENE_ZALO_API_URL and CONVENE_ZALO_OAUTH_URL. */
    /** The settings that point a Convene at this fake as its Official Account. */
    public java.util.Map<String, String> env() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("CONVENE_ZALO_APP_ID", APP_ID);
        env.put("CONVENE_ZALO_APP_SECRET", APP_SECRET);
        env.put("CONVENE_ZALO_OA_SECRET", OA_SECRET);
        env.put("CONVENE_ZALO_REFRESH_TOKEN", FIRST_REFRESH_TOKEN);
        env.put("CONVENE_ZALO_API_URL", url());
        env.put("CONVENE_ZALO_OAUTH_URL", url());
        return env;
    }

    public String url() {
        return server.url("/").toString().replaceAll("/$", "");
    }

    /** An OA-owned GMF group the OA may post into. */
    public synchronized void group(String groupId) {
        groups.add(groupId);
    }

    /** Every access token handed out so far is invalid from now on (as when one expires or is revoked). */
    public synchronized void expireAccessTokens() {
        accessTokens.clear();
    }

    /** The next {@code times} calls to {@code path} answer Zalo's {@code error} with {@code message}. */
    public synchronized void failNext(String path, int error, String message, int times) {
        Deque<int[]> queue = scripted.computeIfAbsent(path, p -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) queue.add(new int[] {error});
        scriptedMessages.put(path + error, message);
    }

    public synchronized List<Posted> posted(String groupId) {
        return posted.stream().filter(p -> groupId.equals(p.groupId())).toList();
    }

    public synchronized List<Posted> toUser(String userId) {
        return posted.stream().filter(p -> userId.equals(p.userId())).toList();
    }

    public synchronized List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    /** The refresh tokens spent, in order. */
    public synchronized List<String> refreshes() {
        return List.copyOf(spentRefreshTokens);
    }

    /** The access_token header of every OpenAPI call, in order (null when it was missing). */
    public synchronized List<String> accessTokensSeen() {
        return List.copyOf(accessTokensSeen);
    }

    private synchronized MockResponse dispatch(RecordedRequest request) throws IOException {
        String path = request.getUrl().encodedPath();
        if (path.equals("/v4/oa/access_token")) return refresh(request);
        String token = request.getHeaders().get("access_token");
        accessTokensSeen.add(token);
        if (token == null || !accessTokens.contains(token)) return error(-216, "Access token is invalid");
        Deque<int[]> script = scripted.get(path);
        if (script != null && !script.isEmpty()) {
            int code = script.poll()[0];
            return error(code, scriptedMessages.get(path + code));
        }
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        return switch (path) {
            case "/v3.0/oa/group/message" -> groupMessage(JSON.readTree(body));
            case "/v3.0/oa/message/cs" -> userMessage(JSON.readTree(body));
            case "/v2.0/oa/upload/file" -> upload(request.getHeaders().get("Content-Type"), body);
            default -> new MockResponse.Builder().code(404).body("not found").build();
        };
    }

    /** OAuth v4: the app's secret in {@code secret_key}; a refresh token works once and the answer brings the next one. */
    private MockResponse refresh(RecordedRequest request) {
        Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
        if (!APP_SECRET.equals(request.getHeaders().get("secret_key")) || !APP_ID.equals(form.get("app_id"))) {
            return json(200, JSON.createObjectNode().put("error", -14002).put("error_name", "Invalid app").put("error_description", "app_id or secret_key is wrong"));
        }
        String given = form.get("refresh_token");
        if (!"refresh_token".equals(form.get("grant_type")) || given == null || !refreshTokens.remove(given)) {
            return json(200, JSON.createObjectNode().put("error", -14014).put("error_name", "Invalid refresh token")
                    .put("error_description", "Refresh token is invalid or has been used"));
        }
        spentRefreshTokens.add(given);
        long n = nextToken.getAndIncrement();
        String access = "at-" + n;
        String refresh = "rt-" + n;
        accessTokens.add(access);
        refreshTokens.add(refresh);
        return json(200, JSON.createObjectNode().put("access_token", access).put("refresh_token", refresh).put("expires_in", "90000"));
    }

    private MockResponse groupMessage(JsonNode body) {
        String groupId = body.path("recipient").path("group_id").asText("");
        if (!groups.contains(groupId)) return error(-201, "Parameters are invalid: group_id");
        JsonNode message = body.path("message");
        String id = "gmsg-" + next.getAndIncrement();
        if (message.hasNonNull("text")) {
            String text = message.get("text").asText();
            if (text.isEmpty() || text.length() > 2000) return error(-201, "Parameters are invalid: text");
            posted.add(new Posted(id, groupId, null, text, null));
        } else if (message.path("attachment").path("type").asText("").equals("file")) {
            String fileToken = message.path("attachment").path("payload").path("token").asText("");
            if (uploads.stream().noneMatch(u -> u.token().equals(fileToken))) return error(-201, "Parameters are invalid: token");
            posted.add(new Posted(id, groupId, null, null, fileToken));
        } else {
            return error(-201, "Parameters are invalid: message");
        }
        return json(200, envelope(JSON.createObjectNode().put("message_id", id)));
    }

    private MockResponse userMessage(JsonNode body) {
        String userId = body.path("recipient").path("user_id").asText("");
        String text = body.path("message").path("text").asText("");
        if (userId.isEmpty() || text.isEmpty()) return error(-201, "Parameters are invalid");
        String id = "umsg-" + next.getAndIncrement();
        posted.add(new Posted(id, null, userId, text, null));
        return json(200, envelope(JSON.createObjectNode().put("message_id", id).put("user_id", userId)));
    }

    /** upload/file: multipart {@code file}; PDF, DOC or DOCX of at most 5 MB. */
    private MockResponse upload(String contentType, byte[] body) throws IOException {
        MediaType media = contentType == null ? null : MediaType.parse(contentType);
        if (media == null || !media.subtype().equals("form-data")) return error(-201, "Parameters are invalid: not multipart");
        try (MultipartReader reader = new MultipartReader(new Buffer().write(body), media.parameter("boundary"))) {
            MultipartReader.Part part;
            while ((part = reader.nextPart()) != null) {
                String disposition = part.headers().get("Content-Disposition");
                if (!disposition.contains("name=\"file\"")) continue;
                String filename = disposition.replaceAll(".*filename=\"([^\"]*)\".*", "$1");
                byte[] bytes = part.body().readByteArray();
                String lower = filename.toLowerCase();
                if (!(lower.endsWith(".pdf") || lower.endsWith(".doc") || lower.endsWith(".docx"))) return error(-201, "File type is not supported");
                if (bytes.length > 5 * 1024 * 1024) return error(-201, "File size is too large");
                String token = "ftok-" + next.getAndIncrement();
                uploads.add(new Upload(token, filename, part.headers().get("Content-Type"), bytes.length));
                return json(200, envelope(JSON.createObjectNode().put("token", token)));
            }
        }
        return error(-201, "Parameters are invalid: file");
    }

    // ---- webhook events, signed as Zalo signs them ----

    /** A member's text in a GMF group, as {@code user_send_group_text}. */
    public static ObjectNode groupText(String groupId, String senderId, String msgId, String text, Instant at) {
        ObjectNode event = JSON.createObjectNode().put("app_id", APP_ID).put("user_id_by_app", "byapp-" + senderId)
                .put("event_name", "user_send_group_text").put("timestamp", Long.toString(at.toEpochMilli()));
        event.putObject("sender").put("id", senderId);
        event.putObject("recipient").put("id", groupId);
        event.putObject("message").put("msg_id", msgId).put("text", text);
        return event;
    }

    /** A user's text to the OA one-to-one, as {@code user_send_text}. */
    public static ObjectNode userText(String senderId, String msgId, String text, Instant at) {
        ObjectNode event = JSON.createObjectNode().put("app_id", APP_ID).put("event_name", "user_send_text")
                .put("timestamp", Long.toString(at.toEpochMilli()));
        event.putObject("sender").put("id", senderId);
        event.putObject("recipient").put("id", "oa-4455");
        event.putObject("message").put("msg_id", msgId).put("text", text);
        return event;
    }

    /** {@code mac=} SHA-256 of app_id + body + timestamp + OA secret key, as Zalo computes it. */
    public static String signature(String body, String appId, String timestamp, String oaSecret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((appId + body + timestamp + oaSecret).getBytes(StandardCharsets.UTF_8));
            return "mac=" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes an event to Convene's webhook, signed with the OA secret; answers the HTTP status and body. */
    public Pushed push(String webhookUrl, JsonNode event) {
        String body = event.toString();
        return push(webhookUrl, body, signature(body, event.path("app_id").asText(), event.path("timestamp").asText(), OA_SECRET));
    }

    /** Pushes a body with the given signature header (null for none). */
    public Pushed push(String webhookUrl, String body, String signatureHeader) {
        Request.Builder request = new Request.Builder().url(webhookUrl).post(RequestBody.create(body, MediaType.get("application/json")));
        if (signatureHeader != null) request.header("X-ZEvent-Signature", signatureHeader);
        try (Response response = pusher.newCall(request.build()).execute()) {
            return new Pushed(response.code(), response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Pushed(int status, String body) {}

    private static ObjectNode envelope(JsonNode data) {
        ObjectNode body = JSON.createObjectNode().put("error", 0).put("message", "Success");
        body.set("data", data);
        return body;
    }

    private static MockResponse error(int code, String message) {
        return json(200, JSON.createObjectNode().put("error", code).put("message", message));
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body.toString()).build();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        pusher.dispatcher().executorService().shutdown();
        pusher.connectionPool().evictAll();
    }
}
