package org.convene.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A browser without a browser: the pages over real HTTP, keeping cookies, never following redirects. */
public final class WebClient {
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder().followRedirects(false)
            .readTimeout(Duration.ofSeconds(30)).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public WebClient(String base) {
        this.base = base;
    }

    /** @param headers by lower-case name */
    public record Page(int status, String body, List<String> setCookies, String location, String contentType,
                       Map<String, List<String>> headers) {
        /** The CSRF token of the first form on the page. */
        public String csrf() {
            Matcher m = CSRF.matcher(body);
            if (!m.find()) throw new AssertionError("no csrf field on the page:\n" + body);
            return m.group(1);
        }

        /** The first value of a response header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String setCookie(String name) {
            return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
        }
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    /** A path, or a full URL of this server (a sign-in link). */
    public Page get(String pathOrUrl) {
        return send(new Request.Builder().url(url(pathOrUrl)).get());
    }

    /**
     * Opens a page as a browser does when a person taps a link or types it: with the fetch metadata a
     * browser adds to a navigation it was asked for ({@code Sec-Fetch-User: ?1}).
     */
    public Page navigate(String pathOrUrl) {
        return navigate(pathOrUrl, "none");
    }

    /** The same navigation from a page of {@code site} ({@code Sec-Fetch-Site}: none, same-origin, same-site, cross-site). */
    public Page navigate(String pathOrUrl, String site) {
        return send(new Request.Builder().url(url(pathOrUrl)).get().header("Sec-Fetch-Site", site).header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-User", "?1").header("Sec-Fetch-Dest", "document"));
    }

    /**
     * Signs in with a one-time link the way a client without fetch metadata must: opens it, then presses the page's button.
     * Answers the button's response, or the opened page when it has no button (a refused link).
     */
    public Page signIn(String link) {
        Page confirm = get(link);
        if (confirm.status() != 200) return confirm;
        return post(link, Map.of("csrf", confirm.csrf()));
    }

    public Page post(String path, Map<String, String> form) {
        FormBody.Builder body = new FormBody.Builder();
        form.forEach(body::add);
        return send(new Request.Builder().url(url(path)).post(body.build()));
    }

    /** A form whose fields repeat (agenda rows): name, value, name, value… in order. */
    public Page post(String path, List<String> pairs) {
        FormBody.Builder body = new FormBody.Builder();
        for (int i = 0; i < pairs.size(); i += 2) body.add(pairs.get(i), pairs.get(i + 1));
        return send(new Request.Builder().url(url(path)).post(body.build()));
    }

    public Page upload(String path, Map<String, String> fields, String filename, byte[] content, String headerName, String headerValue) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(body::addFormDataPart);
        body.addFormDataPart("file", filename, RequestBody.create(content, MediaType.get("application/octet-stream")));
        Request.Builder request = new Request.Builder().url(url(path)).post(body.build());
        if (headerName != null) request.header(headerName, headerValue);
        return send(request);
    }

    private String url(String pathOrUrl) {
        if (pathOrUrl.startsWith("http")) {
            URI uri = URI.create(pathOrUrl);
            return base + uri.getRawPath();
        }
        return base + pathOrUrl;
    }

    private Page send(Request.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            List<String> set = response.headers("Set-Cookie");
            for (String c : set) {
                String pair = c.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || c.contains("Max-Age=0")) cookies.remove(name);
                else cookies.put(name, value);
            }
            return new Page(response.code(), response.body().string(), set, response.header("Location"), response.header("Content-Type"),
                    response.headers().toMultimap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
