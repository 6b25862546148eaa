package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.convene.chat.Button;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bot API over HTTP: {@code POST <apiUrl>/bot<token>/<method>}, one Java method per Bot API method
 * Convene uses, answers as {@link BotApiAnswer} values. Texts arrive here already as Telegram HTML.
 * The token is part of every URL, so no URL is ever logged and every error text is redacted.
 */
final class TelegramClient {
    private static final Logger log = LoggerFactory.getLogger(TelegramClient.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The update types Convene acts on; the rest are never sent to us. */
    static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query", "my_chat_member");
    /** answerCallbackQuery's text: 0–200 characters. */
    static final int CALLBACK_TEXT_LIMIT = 200;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final Pattern BOT_PATH = Pattern.compile("/bot[^/\\s]+/");

    private final OkHttpClient http;
    private final OkHttpClient longPolls;
    private final String base;
    private final String token;
    private final AtomicReference<Call> currentPoll = new AtomicReference<>();
    private volatile boolean pollingStopped;

    /**
     * @param http    the shared client (timeouts for ordinary calls)
     * @param apiUrl  base URL without {@code /bot…}, e.g. {@code https://api.telegram.org}
     */
    TelegramClient(OkHttpClient http, String apiUrl, String token) {
        this.http = http;
        // a long poll holds the request open for its whole timeout; the read timeout must outlast it
        this.longPolls = http.newBuilder().readTimeout(Duration.ofSeconds(TelegramPoller.POLL_TIMEOUT_SECONDS + 15)).build();
        this.base = apiUrl.replaceAll("/+$", "");
        this.token = token;
        if (HttpUrl.parse(this.base + "/bot" + token + "/getMe") == null) {
            throw new IllegalArgumentException("the Telegram API URL is not a URL: " + redact(apiUrl));
        }
    }

    BotApiAnswer getMe() {
        return call("getMe", JSON.createObjectNode());
    }

    BotApiAnswer setWebhook(String url, String secretToken) {
        ObjectNode p = JSON.createObjectNode().put("url", url).put("secret_token", secretToken);
        p.set("allowed_updates", allowedUpdates());
        return call("setWebhook", p);
    }

    BotApiAnswer deleteWebhook() {
        // pending updates are kept: polling picks them up where the webhook stopped
        return call("deleteWebhook", JSON.createObjectNode().put("drop_pending_updates", false));
    }

    /** Long polling; {@link #stopPolling()} ends a poll that is waiting and any later one. */
    BotApiAnswer getUpdates(long offset, int timeoutSeconds) {
        ObjectNode p = JSON.createObjectNode().put("offset", offset).put("timeout", timeoutSeconds);
        p.set("allowed_updates", allowedUpdates());
        Call call = longPolls.newCall(jsonRequest("getUpdates", p));
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

    BotApiAnswer sendMessage(String chatId, String html, List<List<Button>> keyboard) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("text", html).put("parse_mode", "HTML");
        noPreview(p);
        if (!keyboard.isEmpty()) p.set("reply_markup", inlineKeyboard(keyboard));
        return call("sendMessage", p);
    }

    /**
     * No link previews: an agenda needs none, and a preview of a one-time sign-in link would have
     * Telegram fetch the page that names whom it signs in (opening the link no longer uses it up).
     */
    private static void noPreview(ObjectNode p) {
        p.putObject("link_preview_options").put("is_disabled", true);
    }

    /** The first send of a file: a multipart upload. */
    BotApiAnswer sendDocument(String chatId, Path file, String filename, String mediaType, String captionHtml) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("chat_id", chatId);
        if (captionHtml != null && !captionHtml.isEmpty()) {
            body.addFormDataPart("caption", captionHtml).addFormDataPart("parse_mode", "HTML");
        }
        MediaType type = mediaType == null ? null : MediaType.parse(mediaType);
        body.addFormDataPart("document", filename, RequestBody.create(file.toFile(), type));
        Request request = new Request.Builder().url(url("sendDocument")).post(body.build()).build();
        return execute("sendDocument", http.newCall(request));
    }

    /** A file Telegram holds already, sent again by its {@code file_id}. */
    BotApiAnswer sendDocument(String chatId, String fileId, String captionHtml) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("document", fileId);
        if (captionHtml != null && !captionHtml.isEmpty()) p.put("caption", captionHtml).put("parse_mode", "HTML");
        return call("sendDocument", p);
    }

    BotApiAnswer editMessageText(String chatId, String messageId, String html, List<List<Button>> keyboard) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("message_id", Long.parseLong(messageId))
                .put("text", html).put("parse_mode", "HTML");
        noPreview(p);
        // an edit without reply_markup would drop the buttons; an empty keyboard says so on purpose
        p.set("reply_markup", inlineKeyboard(keyboard));
        return call("editMessageText", p);
    }

    BotApiAnswer editMessageReplyMarkup(String chatId, String messageId, List<List<Button>> keyboard) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("message_id", Long.parseLong(messageId));
        p.set("reply_markup", inlineKeyboard(keyboard));
        return call("editMessageReplyMarkup", p);
    }

    /** One emoji reaction on a message (bots may set one; the emoji must be among the Bot API's ReactionTypeEmoji list). */
    BotApiAnswer setMessageReaction(String chatId, String messageId, String emoji) {
        ObjectNode p = JSON.createObjectNode().put("chat_id", chatId).put("message_id", Long.parseLong(messageId));
        p.putArray("reaction").addObject().put("type", "emoji").put("emoji", emoji);
        return call("setMessageReaction", p);
    }

    BotApiAnswer answerCallbackQuery(String callbackQueryId, String text) {
        return call("answerCallbackQuery", callbackAnswer(callbackQueryId, text));
    }

    /** The parameters of answerCallbackQuery, also used as a webhook's own HTTP answer. */
    static ObjectNode callbackAnswer(String callbackQueryId, String text) {
        ObjectNode p = JSON.createObjectNode().put("callback_query_id", callbackQueryId);
        if (text != null && !text.isEmpty()) p.put("text", TelegramHtml.cut(text, CALLBACK_TEXT_LIMIT));
        return p;
    }

    static ObjectNode inlineKeyboard(List<List<Button>> rows) {
        ObjectNode markup = JSON.createObjectNode();
        ArrayNode keyboard = markup.putArray("inline_keyboard");
        for (List<Button> row : rows) {
            ArrayNode r = keyboard.addArray();
            for (Button b : row) r.addObject().put("text", b.label()).put("callback_data", b.id());
        }
        return markup;
    }

    /** Removes {@code /bot<token>/} and the token itself from any text bound for a log or an error. */
    String redact(String text) {
        if (text == null) return null;
        String out = BOT_PATH.matcher(text).replaceAll("/bot<redacted>/");
        return token.isEmpty() ? out : out.replace(token, "<redacted>");
    }

    private static ArrayNode allowedUpdates() {
        ArrayNode a = JSON.createArrayNode();
        ALLOWED_UPDATES.forEach(a::add);
        return a;
    }

    private BotApiAnswer call(String method, ObjectNode params) {
        return execute(method, http.newCall(jsonRequest(method, params)));
    }

    private Request jsonRequest(String method, ObjectNode params) {
        try {
            return new Request.Builder().url(url(method)).post(RequestBody.create(JSON.writeValueAsBytes(params), JSON_TYPE)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the parameters of " + method, e);
        }
    }

    private HttpUrl url(String method) {
        return HttpUrl.get(base + "/bot" + token + "/" + method);
    }

    /** Why the last call could not reach the Bot API, or null once one reached it again; {@code /health} says so. */
    private volatile String unreachable;

    String unreachable() {
        return unreachable;
    }

    private BotApiAnswer execute(String method, Call call) {
        try (Response response = call.execute()) {
            String body = response.body().string();
            unreachable = null;
            BotApiAnswer answer = read(response.code(), response.message(), body);
            if (answer instanceof BotApiAnswer.Refused r) {
                log.debug("telegram refused method={} code={} description={}", method, r.errorCode(), r.description());
            }
            return answer;
        } catch (IOException e) {
            String reason = redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            if (!call.isCanceled()) {
                log.warn("telegram call failed method={} reason={}", method, reason);
                unreachable = reason;
            }
            return new BotApiAnswer.Unreachable(reason);
        }
    }

    private BotApiAnswer read(int status, String statusText, String body) {
        JsonNode node;
        try {
            node = body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.has("ok")) {
            String what = "HTTP " + status + (statusText == null || statusText.isEmpty() ? "" : " " + statusText);
            return new BotApiAnswer.Refused(status >= 200 && status < 300 ? 502 : status, redact(what + ": the Bot API's answer is not its JSON"),
                    null, null);
        }
        if (node.path("ok").asBoolean(false)) return new BotApiAnswer.Ok(node.path("result"));
        JsonNode parameters = node.path("parameters");
        Integer retryAfter = parameters.hasNonNull("retry_after") ? parameters.get("retry_after").asInt() : null;
        String migrateTo = parameters.hasNonNull("migrate_to_chat_id") ? parameters.get("migrate_to_chat_id").asText() : null;
        int code = node.path("error_code").asInt(status);
        String description = redact(node.path("description").asText("HTTP " + status));
        return new BotApiAnswer.Refused(code, description, retryAfter, migrateTo);
    }
}
