package org.convene.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Real HTTP against a running Convene: JSON in, status and JSON out. */
public final class Http {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

    private final String base;
    private final String token;

    public Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same server, with another bearer token (null for none). */
    public Http as(String otherToken) {
        return new Http(base, otherToken);
    }

    public record Reply(int status, JsonNode body, String text, String contentType, okhttp3.Headers headers) {
        public Reply(int status, JsonNode body, String text, String contentType) {
            this(status, body, text, contentType, okhttp3.Headers.of());
        }

        public String errorCode() {
            return body.path("error").path("code").asText(null);
        }

        /** A response header, or null. */
        public String header(String name) {
            return headers.get(name);
        }
    }

    public Reply get(String path) {
        return send(new Request.Builder().url(base + path).get());
    }

    /** The raw bytes of a GET (OkHttp's string() would swallow a byte-order mark). */
    public byte[] getBytes(String path) {
        Request.Builder request = new Request.Builder().url(base + path).get();
        if (token != null) request.header("Authorization", "Bearer " + token);
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            return response.body().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply post(String path, Object body) {
        return send(new Request.Builder().url(base + path).post(json(body)));
    }

    public Reply postRaw(String path, String body, String contentType) {
        return send(new Request.Builder().url(base + path).post(RequestBody.create(body, MediaType.get(contentType))));
    }

    /** Bytes sent as they are, with exactly the given Content-Type (no charset added). */
    public Reply postRaw(String path, byte[] body, String contentType) {
        return send(new Request.Builder().url(base + path).post(RequestBody.create(body, MediaType.get(contentType))));
    }

    public Reply patch(String path, Object body) {
        return send(new Request.Builder().url(base + path).patch(json(body)));
    }

    public Reply put(String path, Object body) {
        return send(new Request.Builder().url(base + path).put(json(body)));
    }

    public Reply delete(String path) {
        return send(new Request.Builder().url(base + path).delete());
    }

    public Reply upload(String path, String filename, byte[] content, String declaredType) {
        RequestBody file = RequestBody.create(content, MediaType.get(declaredType));
        MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("file", filename, file).build();
        return send(new Request.Builder().url(base + path).post(body));
    }

    /** A multipart form with text fields beside the file. */
    public Reply uploadWith(String path, java.util.Map<String, String> fields, String filename, byte[] content, String declaredType) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(body::addFormDataPart);
        body.addFormDataPart("file", filename, RequestBody.create(content, MediaType.get(declaredType)));
        return send(new Request.Builder().url(base + path).post(body.build()));
    }

    private static RequestBody json(Object body) {
        try {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            return RequestBody.create(text, JSON_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply send(Request.Builder request) {
        if (token != null) request.header("Authorization", "Bearer " + token);
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            String text = response.body().string();
            JsonNode node;
            try {
                node = text.isEmpty() ? JSON.missingNode() : JSON.readTree(text);
            } catch (IOException e) {
                node = JSON.missingNode();
            }
            return new Reply(response.code(), node, text, response.header("Content-Type"), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
