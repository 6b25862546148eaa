package org.convene.web;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.convene.meeting.ConveneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Javalin server: auth before the API, the routes of each feature, and the one place errors become JSON. */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    static final String PRINCIPAL = "principal";

    private final Javalin app;

    /**
     * @param signIn        sign-in links and sessions for the pages
     * @param secureCookies the public address is https, so cookies are marked Secure
     * @param extraRoutes   routes that live outside web/ (the local platform's face)
     */
    public WebServer(ApiServices services, SignIn signIn, boolean secureCookies, RandomGenerator random,
                     List<Consumer<JavalinConfig>> extraRoutes) {
        this(services, signIn, secureCookies, random, extraRoutes, 20);
    }

    /** @param failuresPerMinute failed tokens and sign-ins one client address may make in a minute before 429 */
    public WebServer(ApiServices services, SignIn signIn, boolean secureCookies, RandomGenerator random,
                     List<Consumer<JavalinConfig>> extraRoutes, int failuresPerMinute) {
        ApiTokens tokens = services.tokens();
        Guesses guesses = new Guesses(services.clock(), failuresPerMinute);
        Pages pages = new Pages(signIn, secureCookies);
        // the calendar feature's finder: evenings, weekends and holidays, clear of the units above, best first
        FreeSlots slots = (unit, from, to, minutes) -> services.slots().free(unit, from, to, minutes).stream()
                .map(slot -> new FreeSlots.Slot(slot.start(), slot.end(), slot.why().wire())).toList();
        long maxUpload = services.materials().maxBytes();
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.http.maxRequestSize = 5_000_000L;
            cfg.http.prefer405over404 = true;
            // a little above the material limit, so our own check answers 413 with the contract's shape
            cfg.jetty.multipartConfig.maxFileSize(maxUpload + 1024 * 1024, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(maxUpload + 2 * 1024 * 1024, SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1024 * 1024, SizeUnit.BYTES);
            SecurityHeaders headers = new SecurityHeaders(secureCookies);
            cfg.routes.before(headers::before);
            cfg.routes.after(headers::after);
            cfg.routes.before("/api/v1/*", ctx -> authenticate(ctx, tokens, signIn, guesses));
            cfg.routes.before("/local", ctx -> {
                if (localReach(ctx, tokens, signIn, guesses).isEmpty()) throw new Pages.Redirect("/login?next=%2Flocal");
            });
            // the platforms' webhooks first: Javalin tries each route's pattern in the order they were added, and a
            // wave's presses are most of the requests (matching past a hundred routes was a tenth of a press's CPU)
            extraRoutes.forEach(r -> r.accept(cfg));
            new HealthRoutes(services).register(cfg);
            new UnitRoutes(services, signIn).register(cfg);
            new MeetingRoutes(services).register(cfg);
            new ReportRoutes(services).register(cfg);
            new CommitteeRoutes(services).register(cfg);
            new SeriesRoutes(services).register(cfg);
            new HolidayRoutes(services).register(cfg);
            new SlotRoutes(services).register(cfg);
            new CalendarRoutes(services).register(cfg);
            pages.register(cfg);
            new SignInRoutes(services, signIn, pages, random, guesses).register(cfg);
            new HomePage(services, pages).register(cfg);
            new UnitPage(services, pages, signIn::publicUrl).register(cfg);
            new MemberPage(services, pages).register(cfg);
            new MeetingEditorPage(services, pages, slots).register(cfg);
            new MeetingLivePage(services, pages).register(cfg);
            new AttendancePage(services, pages).register(cfg);
            new ReportPage(services, pages).register(cfg);
            new RollupPage(services, pages).register(cfg);
            new MaterialsPage(services, pages).register(cfg);
            new DocumentPages(services, pages).register(cfg);
            cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage(), e.details));
            cfg.routes.exception(ConveneException.class, WebServer::domainError);
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                if (isTooLarge(e)) {
                    error(ctx, 413, "too_large", "the upload is larger than the limit of " + maxUpload + " bytes", List.of());
                    return;
                }
                log.error("request failed {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal", "something went wrong on our side; it was logged", List.of());
            });
            cfg.routes.error(404, ctx -> {
                // Javalin's own "Not Found" (no route matched) is text/plain; ours are JSON or a page, kept as they are
                String type = ctx.res().getContentType();
                if (ctx.result() == null || ctx.result().isEmpty() || type == null || type.startsWith("text/plain")) error(ctx, 404, "not_found", "no such address: " + ctx.path(), List.of());
            });
            cfg.routes.error(405, ctx -> error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), List.of()));
        });
    }

    /** Starts listening; a port another program holds is the operator's to fix, so it is a one-line {@link IllegalStateException}. */
    /** @param host the address to listen on ({@code http.host}); null for every address */
    public WebServer start(String host, int port) {
        try {
            if (host == null) app.start(port);
            else app.start(host, port);
        } catch (io.javalin.util.JavalinBindException e) {
            throw new IllegalStateException("port " + port + " is already in use by another program;"
                    + " stop it or choose another port with --port or CONVENE_HTTP_PORT", e);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void authenticate(Context ctx, ApiTokens tokens, SignIn signIn, Guesses guesses) {
        if (ctx.path().startsWith("/api/v1/local/")) {
            if (localReach(ctx, tokens, signIn, guesses).isEmpty()) throw ApiError.unauthorized("sign in to the pages, or send Authorization: Bearer TOKEN");
            // a cross-site form can post text/plain or a form without asking; only a page of ours can post JSON
            if (ctx.method() == io.javalin.http.HandlerType.POST && (ctx.contentType() == null
                    || !ctx.contentType().toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
                throw new ConveneException.UnsupportedType("send the local chat's requests as application/json");
            }
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw ApiError.unauthorized("send Authorization: Bearer TOKEN");
        }
        guesses.requireAllowed(Guesses.client(ctx), "bearer tokens");
        Principal principal = tokens.resolve(header.substring(7).strip()).orElseThrow(() -> {
            guesses.failed(Guesses.client(ctx));
            return ApiError.unauthorized("the token is not valid");
        });
        ctx.attribute(PRINCIPAL, principal);
    }

    /**
     * The local chat acts as any member of a chat: it is for the demo and tests, and answers only a signed-in
     * viewer (its page's own requests) or a bearer token, each for the local chats of the units it reaches.
     * Sets {@link org.convene.chat.local.LocalRoutes#REACH} for the routes; empty for a caller without either.
     */
    private static java.util.Optional<org.convene.meeting.Caller> localReach(Context ctx, ApiTokens tokens, SignIn signIn, Guesses guesses) {
        String header = ctx.header("Authorization");
        java.util.Optional<org.convene.meeting.Caller> caller;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()) {
            // counted like every other bearer token: these paths answer 401 whether the local chat is on or not
            guesses.requireAllowed(Guesses.client(ctx), "bearer tokens");
            Principal principal = tokens.resolve(header.substring(7).strip()).orElseThrow(() -> {
                guesses.failed(Guesses.client(ctx));
                return ApiError.unauthorized("the token is not valid");
            });
            ctx.attribute(PRINCIPAL, principal);
            caller = java.util.Optional.of(principal.caller());
        } else {
            caller = signIn.viewer(ctx.cookie(Pages.SESSION_COOKIE)).map(SignIn.Viewer::caller);
        }
        caller.ifPresent(c -> ctx.attribute(org.convene.chat.local.LocalRoutes.REACH, (java.util.function.LongPredicate) c::reaches));
        return caller;
    }

    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) throw ApiError.unauthorized("send Authorization: Bearer TOKEN");
        return p;
    }

    /** The caller as the services see it, for the rules of reach they check. */
    static org.convene.meeting.Caller caller(Context ctx) {
        return principal(ctx).caller();
    }

    /** 403 unless the caller may act on the unit. */
    static Principal requireUnit(Context ctx, long unitId) {
        Principal p = principal(ctx);
        if (!p.canActOn(unitId)) throw ApiError.forbidden("this token does not act on unit " + unitId);
        return p;
    }

    private static void domainError(ConveneException e, Context ctx) {
        record Mapped(int status, String code) {}
        Mapped mapped = switch (e) {
            case ConveneException.NotFound nf -> new Mapped(404, "not_found");
            case ConveneException.Invalid inv -> new Mapped(422, "invalid");
            case ConveneException.Conflict c -> new Mapped(409, "conflict");
            case ConveneException.NotAllowed na -> new Mapped(403, "forbidden");
            case ConveneException.TooLarge tl -> new Mapped(413, "too_large");
            case ConveneException.UnsupportedType ut -> new Mapped(415, "unsupported_type");
            case ConveneException.TooMany tm -> {
                // whole seconds, rounded up: a client that waits exactly this long is let through
                ctx.header("Retry-After", String.valueOf((tm.retryAfter().toMillis() + 999) / 1000));
                yield new Mapped(429, "too_many");
            }
            case ConveneException.Gone g -> new Mapped(410, "gone");
        };
        List<ConveneException.FieldError> fields = e instanceof ConveneException.Invalid inv ? inv.errors() : List.of();
        Pages pages = ctx.attribute(Pages.PAGE);
        if (pages != null && !Pages.wantsJson(ctx)) {
            // a page says it in its language, from the problem's code or the fields at fault
            pages.error(ctx, mapped.status(), e.getMessage(), e.problem(), fields);
            return;
        }
        error(ctx, mapped.status(), mapped.code(), e.getMessage(),
                new ArrayList<>(fields.stream().map(f -> (Object) Map.of("field", f.field(), "message", f.message())).toList()));
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("exceeds") || m.contains("too large") || m.contains("max file size") || m.contains("request entity")) return true;
            if (t instanceof io.javalin.http.HttpResponseException hre && hre.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) return true;
        }
        return false;
    }

    /** The contract's JSON error; on the secretary's pages, the same error as a page in the viewer's language. */
    static void error(Context ctx, int status, String code, String message, List<Object> details) {
        Pages pages = ctx.attribute(Pages.PAGE);
        if (pages != null && !Pages.wantsJson(ctx)) {
            pages.error(ctx, status, message, null, List.of());
            return;
        }
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message == null ? "" : message, "details", details)));
    }
}
