package org.convene.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.convene.meeting.ConveneException;
import org.convene.meeting.MaterialsPageService;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;

/**
 * What every page shares: the session guard (sign-in, CSRF, the page marker the error mapper reads),
 * Mustache templates from {@code pages/} with HTML escaping (the chat templates are plain text and live
 * apart), texts per language, dates with the weekday in the unit's zone, and the static assets.
 */
final class Pages {
    static final String PAGE = "convene.page";
    static final String VIEWER = "convene.viewer";
    /** Any signed-in session, a member's who only reads included; {@link #VIEWER} is set only for those who manage. */
    static final String READER = "convene.reader";
    static final String SESSION_COOKIE = "convene_session";
    static final String LANG_COOKIE = "convene_lang";
    static final String LOGIN_CSRF_COOKIE = "convene_login_csrf";
    static final List<String> LANGS = List.of("vi", "en");

    private final DefaultMustacheFactory templates = new DefaultMustacheFactory("pages");
    private final Map<String, Map<String, String>> texts = new HashMap<>();
    private final SignIn signIn;
    private final boolean secureCookies;

    Pages(SignIn signIn, boolean secureCookies) {
        this.signIn = signIn;
        this.secureCookies = secureCookies;
        for (String lang : LANGS) texts.put(lang, load("pages/i18n/" + lang + ".properties"));
    }

    /** Thrown to send the browser elsewhere (e.g. to sign in) from anywhere in a page's handling. */
    static final class Redirect extends RuntimeException {
        final String location;

        Redirect(String location) {
            super(null, null, false, false);
            this.location = location;
        }
    }

    void register(JavalinConfig cfg) {
        cfg.routes.before(this::guard);
        cfg.routes.exception(Redirect.class, (e, ctx) -> ctx.redirect(e.location));
        cfg.routes.get("/assets/{file}", this::asset);
        cfg.routes.get("/lang", ctx -> {
            String to = "en".equals(ctx.queryParam("to")) ? "en" : "vi";
            ctx.res().addHeader("Set-Cookie", cookie(LANG_COOKIE, to, 365 * 24 * 3600, false));
            ctx.redirect(localPath(ctx.queryParam("back")));
        });
    }

    /** Paths that need a session; the sign-in pages and assets do not. */
    static boolean protectedPath(String path) {
        return path.equals("/") || path.equals("/logout") || path.startsWith("/units/") || path.startsWith("/meetings/")
                || path.startsWith("/materials/");
    }

    /** The documents members read after signing in (and their access log, for those who manage). */
    static boolean readerPath(String path) {
        return path.equals("/documents") || path.startsWith("/documents/");
    }

    static boolean pagePath(String path) {
        return protectedPath(path) || readerPath(path) || path.equals("/login") || path.startsWith("/login/") || path.equals("/lang") || path.startsWith("/assets/")
                || path.startsWith(MaterialsPageService.PATH);
    }

    /**
     * Before every page: who is signed in; GETs without a session go to the sign-in page; every POST needs
     * the session's CSRF token (a form field, or a header from the page's own scripts), else 403.
     */
    private void guard(Context ctx) {
        String path = ctx.path();
        if (!pagePath(path)) return;
        ctx.attribute(PAGE, this);
        securityHeaders(ctx);
        signIn.viewer(ctx.cookie(SESSION_COOKIE)).ifPresent(v -> {
            ctx.attribute(READER, v);
            if (v.manages()) ctx.attribute(VIEWER, v);
        });
        if (!protectedPath(path) && !readerPath(path)) return;
        // signing out is for every session, a reader's too
        SignIn.Viewer viewer = ctx.attribute(protectedPath(path) && !path.equals("/logout") ? VIEWER : READER);
        if (viewer == null) {
            if (ctx.method() == HandlerType.GET && !path.endsWith(".json")) throw new Redirect("/login?next=" + url(path));
            throw new ApiError(401, "unauthorized", "sign in first", List.of());
        }
        if (ctx.method() == HandlerType.POST) {
            String sent = Optional.ofNullable(ctx.header("X-CSRF-Token")).orElseGet(() -> ctx.formParam("csrf"));
            if (!SignIn.same(sent, viewer.csrf())) throw ApiError.forbidden("the form's security token is missing or stale; reload the page and try again");
        }
    }

    /** Nothing is loaded from elsewhere, no page can frame ours, and a sign-in token never leaks in a Referer. */
    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /** The signed-in session of a reader page (a member who only reads, or anyone who manages). */
    static SignIn.Viewer reader(Context ctx) {
        SignIn.Viewer v = ctx.attribute(READER);
        if (v == null) throw new ApiError(401, "unauthorized", "sign in first", List.of());
        return v;
    }

    static SignIn.Viewer viewer(Context ctx) {
        SignIn.Viewer v = ctx.attribute(VIEWER);
        if (v == null) throw new ApiError(401, "unauthorized", "sign in first", List.of());
        return v;
    }

    /** The unit, after checking the viewer reaches it: a secretary of another unit gets 403. */
    static void requireUnit(Context ctx, long unitId) {
        if (!viewer(ctx).canSee(unitId)) throw ApiError.forbidden("you do not act on unit " + unitId);
    }

    // ---- rendering ----

    String lang(Context ctx, String unitLocale) {
        String chosen = ctx.cookie(LANG_COOKIE);
        if (chosen != null && LANGS.contains(chosen)) return chosen;
        return unitLocale != null && LANGS.contains(unitLocale) ? unitLocale : "vi";
    }

    Map<String, String> texts(String lang) {
        return texts.get(lang);
    }

    String text(String lang, String key) {
        return texts.get(lang).getOrDefault(key, key);
    }

    /** A text with {0}, {1}… filled in. */
    String text(String lang, String key, Object... args) {
        String t = text(lang, key);
        for (int i = 0; i < args.length; i++) t = t.replace("{" + i + "}", String.valueOf(args[i]));
        return t;
    }

    /** The model every page starts from: texts, language switch, the viewer and the CSRF token. */
    Map<String, Object> model(Context ctx, String lang, String title) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", texts(lang));
        m.put("lang", lang);
        m.put("title", title);
        String other = lang.equals("vi") ? "en" : "vi";
        m.put("otherLangUrl", "/lang?to=" + other + "&back=" + url(ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString())));
        m.put("otherLangLabel", other.equals("en") ? "English" : "Tiếng Việt");
        SignIn.Viewer v = ctx.attribute(VIEWER);
        SignIn.Viewer r = ctx.attribute(READER);
        if (v != null) {
            m.put("viewer", v);
            m.put("csrf", v.csrf());
        } else if (r != null) {
            m.put("reader", r);
            m.put("csrf", r.csrf());
        }
        return m;
    }

    void render(Context ctx, String template, Map<String, Object> model) {
        ctx.contentType("text/html; charset=utf-8").result(html(template, model));
    }

    String html(String template, Object model) {
        Mustache mustache = templates.compile(template + ".mustache");
        StringWriter out = new StringWriter();
        mustache.execute(out, model);
        return out.toString();
    }

    /**
     * The error mapper's page: the status, what went wrong in the viewer's language, a way home. {@code problem}
     * and {@code fields} are the service's code and fields at fault, which {@link #problem} turns into the page's words.
     */
    void error(Context ctx, int status, String message, String problem, List<ConveneException.FieldError> fields) {
        String lang = lang(ctx, "vi");
        String key = switch (status) {
            case 401 -> "error_401";
            case 403 -> "error_403";
            case 404 -> "error_404";
            case 413 -> "error_413";
            case 415 -> "error_415";
            case 429 -> "error_429";
            case 410 -> "error_410";
            case 409, 422 -> "error_invalid";
            default -> "error_500";
        };
        Map<String, Object> m = model(ctx, lang, text(lang, key));
        m.put("status", status);
        m.put("message", problem(lang, problem, message, fields));
        m.put("isForbidden", status == 403);
        ctx.status(status).contentType("text/html; charset=utf-8").result(html("error", m));
    }

    /** What a service refused, in the page's language (see {@link #problem(String, String, String, List)}). */
    String problem(String lang, ConveneException e) {
        return problem(lang, e.problem(), e.getMessage(), e instanceof ConveneException.Invalid inv ? inv.errors() : List.of());
    }

    /** A refusal for a form's notice: {@link #problem(String, ConveneException)}, or the general text where we have none for it. */
    String refusal(String lang, ConveneException e) {
        String said = problem(lang, e);
        return said != null ? said : text(lang, "error_other_text");
    }

    /**
     * What went wrong, in the page's language: the text of the service's problem code ({@code problem_<code>}),
     * or of each field at fault ({@code problem_<field>}; a field whose message is already a page text keeps it).
     * The services speak English for the API: without a text of ours, an English page gets their words and a
     * Vietnamese page nothing beyond the status's own text, rather than English.
     */
    String problem(String lang, String problem, String message, List<ConveneException.FieldError> fields) {
        Map<String, String> t = texts(lang);
        if (problem != null && t.containsKey("problem_" + problem)) return t.get("problem_" + problem);
        List<String> said = new java.util.ArrayList<>();
        for (ConveneException.FieldError f : fields) {
            String own = t.get("problem_" + problemField(f.field()));
            String line = t.containsValue(f.message()) ? f.message() : own != null ? own : lang.equals("en") ? f.field() + ": " + f.message() : null;
            if (line != null && !said.contains(line)) said.add(line);
        }
        if (!said.isEmpty()) return String.join(" ", said);
        return lang.equals("en") && fields.isEmpty() ? message : null;
    }

    /** A field as the texts name it: {@code [0].status} (the first row's) is {@code row_status}, {@code agenda[2].title} is {@code agenda_title}. */
    static String problemField(String field) {
        return field.replaceFirst("^\\[\\d+]\\.", "row_").replaceAll("\\[\\d+]", "").replace('.', '_');
    }

    static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return ctx.path().endsWith(".json") || (accept != null && accept.startsWith("application/json"));
    }

    // ---- cookies ----

    /** HttpOnly and SameSite=Lax always; Secure when the public address is https. */
    String cookie(String name, String value, long maxAgeSeconds, boolean httpOnly) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + (httpOnly ? "; HttpOnly" : "") + "; SameSite=Lax"
                + (secureCookies ? "; Secure" : "");
    }

    // ---- dates, in the meeting's or unit's zone, with the weekday ----

    private static final DateTimeFormatter VI_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter EN_DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    static String dateTime(Instant at, ZoneId zone, String lang) {
        if (at == null) return "";
        ZonedDateTime local = at.atZone(zone);
        return date(local, lang) + (lang.equals("vi") ? " lúc " : ", ") + local.format(TIME);
    }

    static String date(ZonedDateTime local, String lang) {
        String weekday = local.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.forLanguageTag(lang));
        weekday = weekday.substring(0, 1).toUpperCase(Locale.ROOT) + weekday.substring(1);
        return weekday + ", " + local.format(lang.equals("vi") ? VI_DATE : EN_DATE);
    }

    /** A day without its weekday: 30/06/2027, 30 Jun 2027. */
    static String plainDate(java.time.LocalDate day, String lang) {
        return day.format(lang.equals("vi") ? VI_DATE : EN_DATE);
    }

    /** For tight places (the slot picker): the weekday, day and month, and the time. */
    static String shortDateTime(Instant at, ZoneId zone, String lang) {
        ZonedDateTime local = at.atZone(zone);
        String weekday = local.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.forLanguageTag(lang));
        weekday = weekday.substring(0, 1).toUpperCase(Locale.ROOT) + weekday.substring(1);
        String day = local.format(lang.equals("vi") ? DateTimeFormatter.ofPattern("dd/MM") : DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH));
        return weekday + " " + day + " · " + local.format(TIME);
    }

    static String time(Instant at, ZoneId zone) {
        return at == null ? "" : at.atZone(zone).format(TIME);
    }

    /** A short time for ledger cells: the clock time, and the date when it is not the meeting's day. */
    static String shortTime(Instant at, ZoneId zone) {
        if (at == null) return "";
        return at.atZone(zone).format(DateTimeFormatter.ofPattern("dd/MM HH:mm"));
    }

    static String when(Meeting m, String lang) {
        return dateTime(m.startsAt(), ZoneId.of(m.zone()), lang);
    }

    static ZoneId zone(Unit u) {
        return u.zone();
    }

    // ---- small things ----

    static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Only a path on this server, so a crafted link cannot send a signed-in secretary elsewhere. */
    static String localPath(String back) {
        if (back == null || !back.startsWith("/") || back.startsWith("//")) return "/";
        // browsers drop tabs and line breaks from a Location and read "\\" as "/": "/\t/evil.example" is "//evil.example"
        for (int i = 0; i < back.length(); i++) {
            char c = back.charAt(i);
            if (c == '\\' || c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) return "/";
        }
        return back;
    }

    static long id(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no " + name + " " + ctx.pathParam(name));
        }
    }

    private void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!file.matches("[a-z0-9-]+\\.(css|js|svg)")) throw ApiError.notFound("no asset " + file);
        try (InputStream in = Pages.class.getResourceAsStream("/pages/assets/" + file)) {
            if (in == null) throw ApiError.notFound("no asset " + file);
            String type = file.endsWith(".css") ? "text/css; charset=utf-8" : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "image/svg+xml";
            ctx.header("Cache-Control", "public, max-age=300");
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private static Map<String, String> load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Pages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing " + resource);
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new HashMap<>();
        p.forEach((k, v) -> map.put((String) k, (String) v));
        return Map.copyOf(map);
    }
}
