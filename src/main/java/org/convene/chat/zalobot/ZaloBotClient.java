package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zalo's Bot API over HTTP: {@code POST <apiUrl>/bot<token>/<method>} with a JSON body, one Java method per
 * Bot API method Convene uses, answers as {@link ZaloBotAnswer} values. The token is part of every URL, so
 * no URL is logged and every error text is redacted.
 */
final class ZaloBotClient {
    private static final Logger log = LoggerFactory.getLogger(ZaloBotClient.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final OkHttpClient longPolls;
    private final String base;
    private final String token;
    private final AtomicReference<Call> currentPoll = new AtomicReference<>();
    private volatile boolean pollingStopped;

    /** @param apiUrl base URL without {@code /bot…}, e.g. {@code https://bot-api.zaloplatforms.com} */
    ZaloBotClient(OkHttpClient http, String apiUrl, String token) {
        this.http = http;
        // a long poll is held open for its whole timeout: the read timeout must outlast it
        this.longPolls = http.newBuilder().readTimeout(Duration.ofSeconds(ZaloBotPoller.POLL_TIMEOUT_SECONDS + 15)).build();
        this.base = apiUrl.replaceAll("/+$", "");
        this.token = token;
        if (HttpUrl.parse(base + "/bot" + token + "/getMe") == null) throw new IllegalArgumentException("the Zalo Bot API URL is not a URL: " + redact(apiUrl));
    }

    /** {@code id, account_name, account_type, can_join_groups}. */
    ZaloBotAnswer getMe() {
        return call("getMe", JSON.createObjectNode());
    }

    /** {@code secret_token}: 8–256 characters, sent back by Zalo as {@code X-Bot-Api-Secret-Token}. */
    ZaloBotAnswer setWebhook(String url, String secretToken) {
        return call("setWebhook", JSON.createObjectNode().put("url", url).put("secret_token", secretToken));
    }

    ZaloBotAnswer deleteWebhook() {
        return call("deleteWebhook", JSON.createObjectNode());
    }

    /**
     * Long polling; Zalo documents {@code timeout} (seconds, as a string) and no offset: what it hands out it
     * does not hand out again, so the message ids are de-duplicated anyway. {@link #stopPolling()} ends a poll.
     */
    ZaloBotAnswer getUpdates(int timeoutSeconds) {
        Call call = longPolls.newCall(jsonRequest("getUpdates", JSON.createObjectNode().put("timeout", Integer.toString(timeoutSeconds))));
        currentPoll.set(call);
        // set before the check, so a stopPolling() in between cannot be missed
        if (pollingStopped) call.cancel();
        try {
            return execute("getUpdates", call);
        } finally {
            currentPoll.compareAndSet(call, null);
        }
    }

    void stopPolling() {
        pollingStopped = true;
        Call call = currentPoll.get();
        if (call != null) call.cancel();
    }

    /** {@code text}: 1–2,000 characters, plain (no {@code parse_mode}: Convene's texts are not markdown). */
    ZaloBotAnswer sendMessage(String chatId, String text) {
        return call("sendMessage", JSON.createObjectNode().put("chat_id", chatId).put("text", text));
    }

    /** A picture Zalo fetches from {@code photoUrl} (public); {@code caption} 1–2,000 characters, or none. */
    ZaloBotAnswer sendPhoto(String chatId, String photoUrl, String caption) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("photo", photoUrl);
        if (caption != null && !caption.isBlank()) p.put("caption", caption);
        return call("sendPhoto", p);
    }

    /** Removes {@code /bot<token>/} and the token itself from any text bound for a log or an error. */
    String redact(String text) {
        if (text == null) return null;
        String out = text.replaceAll("/bot[^/\\s]+/", "/bot<redacted>/");
        return token.isEmpty() ? out : out.replace(token, "<redacted>");
    }

    private ZaloBotAnswer call(String method, ObjectNode params) {
        return execute(method, http.newCall(jsonRequest(method, params)));
    }

    private Request jsonRequest(String method, ObjectNode params) {
        try {
            return new Request.Builder().url(HttpUrl.get(base + "/bot" + token + "/" + method))
                    .post(RequestBody.create(JSON.writeValueAsBytes(params), JSON_TYPE)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the parameters of " + method, e);
        }
    }

    private ZaloBotAnswer execute(String method, Call call) {
        try (Response response = call.execute()) {
            ZaloBotAnswer answer = read(response.code(), response.message(), response.body().string());
            if (answer instanceof ZaloBotAnswer.Refused r) {
                log.debug("zalo bot refused method={} code={} description={}", method, r.errorCode(), r.description());
            }
            return answer;
        } catch (IOException e) {
            String reason = redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            if (!call.isCanceled()) log.warn("zalo bot call failed method={} reason={}", method, reason);
            return new ZaloBotAnswer.Unreachable(reason);
        }
    }

    /** HTTP 200 alone is not success: only {@code "ok": true} is. */
    private ZaloBotAnswer read(int status, String statusText, String body) {
        JsonNode node;
        try {
            node = body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.has("ok")) {
            String what = "HTTP " + status + (statusText == null || statusText.isEmpty() ? "" : " " + statusText);
            return new ZaloBotAnswer.Refused(status >= 200 && status < 300 ? 502 : status, redact(what + ": the answer is not the Bot API's JSON"), false);
        }
        if (node.path("ok").asBoolean(false)) return new ZaloBotAnswer.Ok(node.path("result"));
        return new ZaloBotAnswer.Refused(node.path("error_code").asInt(status), redact(node.path("description").asText("HTTP " + status)), true);
    }
}
