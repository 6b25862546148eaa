package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zalo's OA OpenAPI and OAuth over HTTP: one Java method per endpoint Convene uses, answers as
 * {@link ZaloAnswer} values. Every OpenAPI call carries the OA access token in the {@code access_token}
 * header (Zalo's way, not {@code Authorization: Bearer}); tokens and secrets never reach a log.
 */
final class ZaloClient {
    private static final Logger log = LoggerFactory.getLogger(ZaloClient.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final OkHttpClient http;
    private final String api;
    private final String oauth;

    ZaloClient(OkHttpClient http, String apiUrl, String oauthUrl) {
        this.http = http;
        this.api = apiUrl.replaceAll("/+$", "");
        this.oauth = oauthUrl.replaceAll("/+$", "");
        if (HttpUrl.parse(api + "/v3.0/oa/group/message") == null) throw new IllegalArgumentException("the Zalo API URL is not a URL: " + apiUrl);
        if (HttpUrl.parse(oauth + "/v4/oa/access_token") == null) throw new IllegalArgumentException("the Zalo OAuth URL is not a URL: " + oauthUrl);
    }

    /** What a token refresh gave: the new pair, or why not. */
    sealed interface Refreshed {
        record Tokens(String accessToken, String refreshToken, long expiresInSeconds) implements Refreshed {}

        /** Zalo said no ({@code refused}: the refresh token or app secret is wrong), or could not be reached. */
        record Failed(String reason, boolean refused) implements Refreshed {}
    }

    /**
     * OAuth v4: {@code POST /v4/oa/access_token}, header {@code secret_key}, form {@code refresh_token, app_id,
     * grant_type=refresh_token}. The refresh token is spent by this call whatever comes back.
     */
    Refreshed refresh(String appId, String appSecret, String refreshToken) {
        RequestBody form = new FormBody.Builder().add("refresh_token", refreshToken).add("app_id", appId).add("grant_type", "refresh_token").build();
        Request request = new Request.Builder().url(oauth + "/v4/oa/access_token").header("secret_key", appSecret).post(form).build();
        try (Response response = http.newCall(request).execute()) {
            JsonNode body = readJson(response.body().string());
            if (body != null && body.hasNonNull("access_token") && body.hasNonNull("refresh_token")) {
                long expires = body.path("expires_in").asLong(0); // Zalo writes it as a string: "90000"
                return new Refreshed.Tokens(body.get("access_token").asText(), body.get("refresh_token").asText(), expires > 0 ? expires : 90_000);
            }
            if (response.code() >= 500 || body == null) {
                return new Refreshed.Failed("HTTP " + response.code() + " from Zalo's OAuth server", false);
            }
            String why = firstText(body, "error_description", "error_reason", "error_name", "message");
            return new Refreshed.Failed("Zalo refused the token refresh (error " + body.path("error").asText("?") + (why == null ? "" : ": " + why) + ")",
                    true);
        } catch (IOException e) {
            log.warn("zalo token refresh failed reason={}", e.getClass().getSimpleName());
            return new Refreshed.Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), false);
        }
    }

    /** GMF: a text into a group the OA owns. */
    ZaloAnswer sendGroupText(String accessToken, String groupId, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("recipient").put("group_id", groupId);
        body.putObject("message").put("text", text);
        return post(accessToken, "/v3.0/oa/group/message", body);
    }

    /** GMF: a file uploaded before ({@code token} from {@link #uploadFile}) into a group. */
    ZaloAnswer sendGroupFile(String accessToken, String groupId, String fileToken) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("recipient").put("group_id", groupId);
        body.putObject("message").putObject("attachment").put("type", "file").putObject("payload").put("token", fileToken);
        return post(accessToken, "/v3.0/oa/group/message", body);
    }

    /** A consulting ("tư vấn") text to one user who wrote to the OA: the answer to a command in a 1:1 chat. */
    ZaloAnswer sendUserText(String accessToken, String userId, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("recipient").put("user_id", userId);
        body.putObject("message").put("text", text);
        return post(accessToken, "/v3.0/oa/message/cs", body);
    }

    /** {@code POST /v2.0/oa/upload/file}, multipart {@code file}: {@code data.token} names the file in later sends. */
    ZaloAnswer uploadFile(String accessToken, Path file, String filename, String mediaType) {
        MediaType type = mediaType == null ? null : MediaType.parse(mediaType);
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("file", filename, RequestBody.create(file.toFile(), type)).build();
        Request request = new Request.Builder().url(api + "/v2.0/oa/upload/file").header("access_token", accessToken).post(body).build();
        return execute("upload/file", http.newCall(request));
    }

    private ZaloAnswer post(String accessToken, String path, ObjectNode body) {
        try {
            Request request = new Request.Builder().url(api + path).header("access_token", accessToken)
                    .post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE)).build();
            return execute(path, http.newCall(request));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the body of " + path, e);
        }
    }

    private ZaloAnswer execute(String what, Call call) {
        try (Response response = call.execute()) {
            JsonNode body = readJson(response.body().string());
            if (body == null || !body.isObject() || !body.has("error")) {
                String status = "HTTP " + response.code() + (response.message() == null || response.message().isEmpty() ? "" : " " + response.message());
                return new ZaloAnswer.Refused(0, status + ": the answer is not Zalo's JSON", response.code() >= 200 && response.code() < 300 ? 502
                        : response.code());
            }
            int error = body.path("error").asInt(0);
            if (error == 0) return new ZaloAnswer.Ok(body.path("data"));
            String message = body.path("message").asText("error " + error);
            log.debug("zalo refused call={} error={} message={}", what, error, message);
            return new ZaloAnswer.Refused(error, message, response.code());
        } catch (IOException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            log.warn("zalo call failed call={} reason={}", what, reason);
            return new ZaloAnswer.Unreachable(reason);
        }
    }

    private static JsonNode readJson(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            if (node.hasNonNull(f) && !node.get(f).asText().isBlank()) return node.get(f).asText();
        }
        return null;
    }
}
