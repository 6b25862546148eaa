package org.convene.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers every answer carries (API, downloads, /metrics, /calendar, /local, webhooks): no sniffing, no
 * framing, no Referer off-site, HSTS behind https; and a Content-Security-Policy on every HTML page. The
 * secretary's pages set their own, stricter CSP; any other page (the local chat's) gets one that allows its
 * own inline scripts by their hashes and nothing from elsewhere.
 */
final class SecurityHeaders {
    /** What an answer that is not an HTML page needs of a CSP: nobody may frame it. */
    static final String BASELINE_CSP = "frame-ancestors 'none'";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private final boolean https;

    /** @param https the public address is https: browsers are told to keep to it */
    SecurityHeaders(boolean https) {
        this.https = https;
    }

    /** Before any handler, so that each answer has them whatever happens after; pages may tighten them. */
    void before(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "strict-origin-when-cross-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", BASELINE_CSP);
        if (https) ctx.header("Strict-Transport-Security", "max-age=31536000");
    }

    /** After the handler: an HTML page still on the baseline gets a whole policy. */
    void after(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("text/html")) return;
        if (!BASELINE_CSP.equals(ctx.res().getHeader("Content-Security-Policy"))) return;
        ctx.header("Content-Security-Policy", pagePolicy(ctx.result()));
    }

    /** Scripts: this site's files and the page's own inline ones by hash; styles may be inline (a style cannot run code). */
    static String pagePolicy(String html) {
        Set<String> scripts = new LinkedHashSet<>();
        scripts.add("'self'");
        if (html != null) {
            Matcher m = INLINE_SCRIPT.matcher(html);
            while (m.find()) scripts.add("'sha256-" + sha256(m.group(1)) + "'");
        }
        return "default-src 'self'; script-src " + String.join(" ", scripts) + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
