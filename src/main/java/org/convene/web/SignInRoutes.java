package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.convene.meeting.Unit;

/**
 * Signing in and out of the pages: the API that mints a member's link, the link itself, the admin's
 * token form, and sign-out.
 */
final class SignInRoutes {
    private final ApiServices s;
    private final SignIn signIn;
    private final Pages pages;
    private final RandomGenerator random;

    SignInRoutes(ApiServices services, SignIn signIn, Pages pages, RandomGenerator random) {
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
        cfg.routes.get("/login/{token}", ctx -> {
            Optional<SignIn.Started> started = signIn.redeem(ctx.pathParam("token"));
            if (started.isEmpty()) {
                ctx.status(403);
                showForm(ctx, "login_link_refused");
                return;
            }
            startSession(ctx, started.get());
            ctx.redirect("/");
        });
        cfg.routes.post("/logout", ctx -> {
            signIn.end(Pages.viewer(ctx));
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
     * The sign-in form before any session exists: its CSRF token is a random value in a cookie and the
     * form alike (double submit), since a cross-site page can set neither.
     */
    private void showForm(Context ctx, String noticeKey) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.res().addHeader("Set-Cookie", pages.cookie(Pages.LOGIN_CSRF_COOKIE, csrf, 3600, true));
        String lang = pages.lang(ctx, "vi");
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "login_title"));
        m.put("loginCsrf", csrf);
        m.put("next", Pages.localPath(ctx.queryParam("next")));
        if (noticeKey != null) m.put("notice", pages.text(lang, noticeKey));
        if (ctx.statusCode() >= 400) m.put("refused", true);
        pages.render(ctx, "login", m);
    }

    private void adminSignIn(Context ctx) {
        String cookie = ctx.cookie(Pages.LOGIN_CSRF_COOKIE);
        if (cookie == null || !SignIn.same(cookie, ctx.formParam("csrf"))) {
            throw ApiError.forbidden("the form's security token is missing or stale; reload the page and try again");
        }
        Optional<SignIn.Started> started = signIn.admin(ctx.formParam("token"));
        if (started.isEmpty()) {
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
