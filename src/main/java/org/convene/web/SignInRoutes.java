package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.convene.meeting.Unit;

/**
 * Signing in and out of the pages: the API that mints a member's link, the link itself (a page that
 * asks, then a POST that signs in), the admin's token form, and sign-out.
 */
final class SignInRoutes {
    private final ApiServices s;
    private final SignIn signIn;
    private final Pages pages;
    private final RandomGenerator random;
    private final Guesses guesses;

    SignInRoutes(ApiServices services, SignIn signIn, Pages pages, RandomGenerator random, Guesses guesses) {
        this.guesses = guesses;
        this.s = services;
        this.signIn = signIn;
        this.pages = pages;
        this.random = random;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/units/{id}/members/{memberId}/login-link", ctx -> {
            Unit unit = s.units().get(PathTargets.id(ctx, "id"));
            Principal p = WebServer.requireUnit(ctx, unit.id());
            SignIn.Link link = signIn.linkFor(p, unit.id(), PathTargets.id(ctx, "memberId"));
            ctx.status(201).json(Map.of("url", link.url(), "expiresAt", Views.at(link.expiresAt(), unit.zone())));
        });
        cfg.routes.get("/login", this::form);
        cfg.routes.post("/login", this::adminSignIn);
        cfg.routes.get("/login/{token}", this::confirmLink);
        cfg.routes.post("/login/{token}", this::useLink);
        cfg.routes.post("/logout", ctx -> {
            SignIn.Viewer viewer = Pages.reader(ctx);
            // "sign out everywhere": a lost phone's session ends with this one
            if ("1".equals(ctx.formParam("everywhere")) && viewer.personId() != null) signIn.endAll(viewer.actor(), viewer.personId());
            else signIn.end(viewer);
            ctx.res().addHeader("Set-Cookie", pages.cookie(Pages.SESSION_COOKIE, "", 0, true));
            ctx.redirect("/login?bye=1");
        });
    }

    private void form(Context ctx) {
        if (ctx.attribute(Pages.VIEWER) != null) {
            ctx.redirect(Pages.localPath(ctx.queryParam("next")));
            return;
        }
        showForm(ctx, ctx.queryParam("bye") != null ? "login_signed_out" : null);
    }

    /**
     * Chat apps and mail scanners fetch links to build previews, and a GET that used the link up would
     * spend it before its owner taps it. So a link is used at once only when a browser says a person
     * opened it ({@code Sec-Fetch-User: ?1} on a navigation, which browsers send for a tap or the address
     * bar and previewers do not); anything else gets a page that says who is signing in, whose button
     * posts back to the link.
     */
    private void confirmLink(Context ctx) {
        keepLinkPrivate(ctx);
        guesses.requireAllowed(Guesses.client(ctx), "sign-in links");
        String token = ctx.pathParam("token");
        Optional<SignIn.Holder> holder = signIn.holder(token);
        if (holder.isEmpty()) {
            refuseLink(ctx);
            return;
        }
        if (openedByAPerson(ctx)) {
            redeem(ctx, token);
            return;
        }
        List<SignIn.Seat> seats = holder.get().seats();
        String lang = pages.lang(ctx, seats.isEmpty() ? "vi" : seats.get(0).unit().locale());
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "login_title"));
        m.put("loginCsrf", loginCsrf(ctx));
        m.put("action", "/login/" + token);
        m.put("name", holder.get().name());
        m.put("seats", seats.stream()
                .map(seat -> Map.of("unit", seat.unit().name(), "role", pages.text(lang, "role_" + seat.role().wire()))).toList());
        m.put("anySeat", !seats.isEmpty());
        pages.render(ctx, "login-link", m);
    }

    /** The link's button: uses the link up (once, however many presses race) and starts the session. */
    private void useLink(Context ctx) {
        keepLinkPrivate(ctx);
        guesses.requireAllowed(Guesses.client(ctx), "sign-in links");
        String token = ctx.pathParam("token");
        // a link that no longer works says so whatever the form carried (a second tap, a page left open):
        // refusing changes nothing, so it needs no CSRF check
        if (signIn.holder(token).isEmpty()) {
            refuseLink(ctx);
            return;
        }
        requireLoginCsrf(ctx);
        redeem(ctx, token);
    }

    /** Uses the link up (once, however many requests race) and starts the session, or refuses it. */
    private void redeem(Context ctx, String token) {
        Optional<SignIn.Started> started = signIn.redeem(token);
        if (started.isEmpty()) {
            refuseLink(ctx);
            return;
        }
        startSession(ctx, started.get());
        ctx.redirect(Pages.localPath(started.get().next()), HttpStatus.SEE_OTHER);
    }

    /**
     * A tap from another site ({@code Sec-Fetch-Site: cross-site}) is not enough: a foreign page could link a
     * visitor to an attacker's sign-in link and sign them in as the attacker (login CSRF); they get the page.
     */
    private static boolean openedByAPerson(Context ctx) {
        return "?1".equals(ctx.header("Sec-Fetch-User")) && "navigate".equals(ctx.header("Sec-Fetch-Mode"))
                && !"cross-site".equals(ctx.header("Sec-Fetch-Site"));
    }

    /** A link in the address must not be stored, indexed, or passed on in a Referer. */
    private static void keepLinkPrivate(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Robots-Tag", "noindex");
    }

    private void refuseLink(Context ctx) {
        guesses.failed(Guesses.client(ctx));
        ctx.status(403);
        // with only the local chat (the demo) there is no bot to send /login to
        showForm(ctx, botless() ? "login_link_refused_local" : "login_link_refused");
    }

    private boolean botless() {
        return s.platforms().names().stream().allMatch(org.convene.chat.local.LocalPlatform.NAME::equals);
    }

    private void showForm(Context ctx, String noticeKey) {
        String lang = pages.lang(ctx, "vi");
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "login_title"));
        m.put("loginCsrf", loginCsrf(ctx));
        m.put("next", Pages.localPath(ctx.queryParam("next")));
        if (noticeKey != null) m.put("notice", pages.text(lang, noticeKey));
        if (botless()) m.put("howText", pages.text(lang, "login_how_local"));
        if (ctx.statusCode() >= 400) m.put("refused", true);
        pages.render(ctx, "login", m);
    }

    /**
     * The CSRF token of the sign-in forms, shown before any session exists: a random value in a cookie and
     * the form alike (double submit), since a cross-site page can set neither. Without it a foreign page
     * could sign a visitor in as someone else.
     */
    private String loginCsrf(Context ctx) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.res().addHeader("Set-Cookie", pages.cookie(Pages.LOGIN_CSRF_COOKIE, csrf, 3600, true));
        return csrf;
    }

    private static void requireLoginCsrf(Context ctx) {
        String cookie = ctx.cookie(Pages.LOGIN_CSRF_COOKIE);
        if (cookie == null || !SignIn.same(cookie, ctx.formParam("csrf"))) {
            throw ApiError.forbidden("the form's security token is missing or stale; reload the page and try again");
        }
    }

    private void adminSignIn(Context ctx) {
        requireLoginCsrf(ctx);
        guesses.requireAllowed(Guesses.client(ctx), "admin sign-ins");
        Optional<SignIn.Started> started = signIn.admin(ctx.formParam("token"));
        if (started.isEmpty()) {
            guesses.failed(Guesses.client(ctx));
            ctx.status(401);
            showForm(ctx, "login_bad_token");
            return;
        }
        startSession(ctx, started.get());
        ctx.redirect(Pages.localPath(ctx.formParam("next")));
    }

    private void startSession(Context ctx, SignIn.Started started) {
        ctx.res().addHeader("Set-Cookie", pages.cookie(Pages.SESSION_COOKIE, started.token(), signIn.sessionLength().toSeconds(), true));
        ctx.res().addHeader("Set-Cookie", pages.cookie(Pages.LOGIN_CSRF_COOKIE, "", 0, true));
    }
}
