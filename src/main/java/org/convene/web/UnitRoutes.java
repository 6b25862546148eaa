package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Requests;
import org.convene.meeting.Unit;

/** Units, their tokens, members and their linked accounts, chats and link codes; revoking what was handed out. */
final class UnitRoutes {
    private final ApiServices s;
    private final SignIn signIn;

    UnitRoutes(ApiServices services, SignIn signIn) {
        this.s = services;
        this.signIn = signIn;
    }

    record TokenRequest(String role, String label) {}

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/units", this::createUnit);
        cfg.routes.get("/api/v1/units", ctx -> {
            Principal p = WebServer.principal(ctx);
            ctx.json(s.units().all().stream().filter(u -> p.canActOn(u.id())).map(u -> Views.UnitView.of(u, s.publicUrl())).toList());
        });
        cfg.routes.get("/api/v1/units/{id}", ctx -> {
            // a merged unit answers with where it went (mergedInto) to those who reach that unit, not a refusal
            Unit unit = s.units().readable(WebServer.caller(ctx), PathTargets.id(ctx, "id"));
            ctx.json(Views.UnitView.of(unit, s.publicUrl()));
        });
        cfg.routes.patch("/api/v1/units/{id}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            Requests.UnitChange change = Json.read(ctx, Requests.UnitChange.class);
            if (change.parentId() != null) requireReachesBoth(ctx, unit.id(), s.units().get(change.parentId()).id(), "move unit " + unit.id());
            Unit changed = s.units().change(WebServer.principal(ctx).actor(), unit.id(), change);
            ctx.json(Views.UnitView.of(changed, s.publicUrl()));
        });
        cfg.routes.post("/api/v1/units/{id}/merge-into/{otherId}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            Unit other = s.units().get(PathTargets.id(ctx, "otherId"));
            requireReachesBoth(ctx, unit.id(), other.id(), "merge unit " + unit.id());
            ctx.json(Views.UnitView.of(s.units().merge(WebServer.principal(ctx).actor(), unit.id(), other.id()), s.publicUrl()));
        });
        cfg.routes.post("/api/v1/units/{id}/tokens", this::issueToken);
        cfg.routes.post("/api/v1/units/{id}/members", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            Principal p = WebServer.principal(ctx);
            Requests.NewMember request = Json.read(ctx, Requests.NewMember.class);
            // a person is added to a further unit only by someone who already reaches one of their units
            if (request.personId() != null && s.members().unitsOf(request.personId()).stream().noneMatch(p::canActOn)) {
                throw ApiError.forbidden("person " + request.personId() + " belongs to no unit this token reaches");
            }
            var member = s.members().add(p.caller(), unit.id(), request);
            ctx.status(201).json(Views.MemberView.of(member));
        });
        cfg.routes.get("/api/v1/units/{id}/members", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            String on = ctx.queryParam("on");
            var members = on == null ? s.members().list(unit.id()) : s.members().rosterOn(unit.id(), day(on, "on"));
            switch (ctx.queryParamAsClass("format", String.class).getOrDefault("json")) {
                case "json" -> ctx.json(members.stream().map(Views.MemberView::of).toList());
                case "csv" -> ctx.contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"members-" + unit.id() + ".csv\"")
                        .result(org.convene.meeting.MemberCsv.write(members));
                default -> throw new ConveneException.Invalid("format", "must be json or csv");
            }
        });
        cfg.routes.get("/api/v1/units/{id}/members/{memberId}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            ctx.json(Views.MemberView.of(s.members().get(unit.id(), PathTargets.id(ctx, "memberId"))));
        });
        cfg.routes.patch("/api/v1/units/{id}/members/{memberId}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            long memberId = PathTargets.id(ctx, "memberId");
            Requests.MemberChange change = Json.read(ctx, Requests.MemberChange.class);
            java.util.Set<String> present = new java.util.HashSet<>();
            Json.tree(ctx).fieldNames().forEachRemaining(present::add);
            var member = s.members().change(WebServer.caller(ctx), unit.id(), memberId, change.withPresent(present));
            ctx.json(Views.MemberView.of(member));
        });
        cfg.routes.delete("/api/v1/units/{id}/members/{memberId}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            s.members().delete(WebServer.caller(ctx), unit.id(), PathTargets.id(ctx, "memberId"));
            ctx.status(204);
        });
        cfg.routes.get("/api/v1/units/{id}/audit", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            AuditPeriod period = AuditPeriod.of(ctx, unit, s.clock());
            ctx.json(Map.of("unitId", unit.id(), "from", period.fromDay().toString(), "to", period.toDay().toString(),
                    "events", s.units().audit(unit.id(), period.from(), period.to()).stream()
                            .map(e -> Views.AuditView.of(e, unit.zone())).toList()));
        });
        cfg.routes.post("/api/v1/units/{id}/members/import", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
            if (!type.startsWith("text/csv") && !type.startsWith("text/plain")) {
                throw new ConveneException.UnsupportedType("send the roster as text/csv: name,role,phone,telegramUserId");
            }
            ctx.json(s.members().importCsv(WebServer.caller(ctx), unit.id(), ctx.body()));
        });
        cfg.routes.get("/api/v1/units/{id}/members/{memberId}/accounts", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            ctx.json(s.members().accounts(unit.id(), PathTargets.id(ctx, "memberId")).stream()
                    .map(a -> Views.AccountView.of(a, unit.zone())).toList());
        });
        cfg.routes.delete("/api/v1/units/{id}/members/{memberId}/accounts/{platform}", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            s.members().unlink(WebServer.caller(ctx), unit.id(), PathTargets.id(ctx, "memberId"), ctx.pathParam("platform"));
            ctx.status(204);
        });
        cfg.routes.post("/api/v1/units/{id}/members/{memberId}/link-code", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            var code = s.members().personalCode(WebServer.caller(ctx), unit.id(), PathTargets.id(ctx, "memberId"));
            ctx.status(201).json(Map.of("code", code.code(), "expiresAt", Views.at(code.expiresAt(), unit.zone())));
        });
        cfg.routes.post("/api/v1/units/{id}/members/{memberId}/sign-out", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            long memberId = PathTargets.id(ctx, "memberId");
            s.members().get(unit.id(), memberId);
            ctx.json(Map.of("ended", signIn.endAll(WebServer.principal(ctx).actor(), memberId)));
        });
        cfg.routes.post("/api/v1/units/{id}/chats/{chatId}/release", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            ctx.json(Views.ChatView.of(s.chats().release(WebServer.caller(ctx), unit.id(), PathTargets.id(ctx, "chatId"))));
        });
        cfg.routes.get("/api/v1/units/{id}/tokens", ctx -> {
            Unit unit = requireTokenKeeper(ctx);
            ctx.json(s.tokens().ofUnit(unit.id()).stream().map(t -> Views.TokenView.of(t, unit.zone())).toList());
        });
        cfg.routes.delete("/api/v1/units/{id}/tokens/{tokenId}", ctx -> {
            Unit unit = requireTokenKeeper(ctx);
            long tokenId = PathTargets.id(ctx, "tokenId");
            if (!s.tokens().revoke(WebServer.principal(ctx).actor(), unit.id(), tokenId)) throw ApiError.notFound("no token " + tokenId + " of unit " + unit.id());
            ctx.status(204);
        });
        cfg.routes.post("/api/v1/units/{id}/calendar/rotate", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            ctx.json(Views.UnitView.of(s.units().rotateFeed(WebServer.caller(ctx), unit.id()), s.publicUrl()));
        });
        cfg.routes.post("/api/v1/units/{id}/chats", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            var chat = s.chats().add(WebServer.principal(ctx).actor(), unit.id(), Json.read(ctx, Requests.NewChat.class));
            ctx.status(201).json(Views.ChatView.of(chat));
        });
        cfg.routes.get("/api/v1/units/{id}/chats", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            ctx.json(s.chats().ofUnit(unit.id()).stream().map(Views.ChatView::of).toList());
        });
        cfg.routes.post("/api/v1/units/{id}/link-codes", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            var code = s.chats().newLinkCode(WebServer.principal(ctx).actor(), unit.id());
            ctx.status(201).json(Map.of("code", code.code(), "expiresAt", Views.at(code.expiresAt(), unit.zone())));
        });
    }

    private void createUnit(Context ctx) {
        Requests.NewUnit request = Json.read(ctx, Requests.NewUnit.class);
        ctx.status(201).json(Views.UnitView.of(s.units().create(WebServer.caller(ctx), request), s.publicUrl()));
    }

    /** Moving and merging units reshape the tree: only the admin or a supervisor reaching both units may. */
    private static void requireReachesBoth(Context ctx, long unit, long other, String what) {
        org.convene.meeting.UnitService.requireReachesBoth(WebServer.caller(ctx), unit, other, what);
    }

    /** Only the admin or a supervisor of a unit above issues, lists and revokes its tokens, so no token can widen its own reach. */
    private Unit requireTokenKeeper(Context ctx) {
        Unit unit = PathTargets.unit(s, ctx);
        if (!WebServer.caller(ctx).supervisesFromAbove(unit.id())) {
            throw ApiError.forbidden("tokens of unit " + unit.id() + " are kept by the admin or a supervisor above it");
        }
        return unit;
    }

    private void issueToken(Context ctx) {
        Unit unit = requireTokenKeeper(ctx);
        Principal p = WebServer.principal(ctx);
        TokenRequest request = Json.read(ctx, TokenRequest.class);
        Principal.Kind role = switch (request.role() == null ? "" : request.role()) {
            case "secretary" -> Principal.Kind.SECRETARY;
            case "supervisor" -> Principal.Kind.SUPERVISOR;
            default -> throw new ConveneException.Invalid("role", "must be secretary or supervisor");
        };
        if (request.label() != null && request.label().length() > 200) throw new ConveneException.Invalid("label", "is longer than 200 characters");
        var issued = s.tokens().issue(p.actor(), unit.id(), role, request.label());
        ctx.status(201).json(Map.of("id", issued.id(), "token", issued.token(), "role", request.role(), "unitId", unit.id()));
    }



    /** A calendar day in a query parameter (422 when it is not one). */
    static java.time.LocalDate day(String value, String name) {
        try {
            return java.time.LocalDate.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConveneException.Invalid(name, "is not a date (YYYY-MM-DD)");
        }
    }

    static List<Long> ids(List<Long> ids) {
        return ids == null ? List.of() : ids;
    }
}
