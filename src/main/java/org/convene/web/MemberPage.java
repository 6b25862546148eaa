package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Member;
import org.convene.meeting.MemberStatus;
import org.convene.meeting.Requests;
import org.convene.meeting.Role;
import org.convene.meeting.Unit;
import org.convene.store.AuditLog;

/** One membership on a phone: its role, status from a day, dates, ending it or deleting one made by mistake; and the unit's audit page. */
final class MemberPage {
    private final ApiServices s;
    private final Pages pages;

    MemberPage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record Option(String value, String label, boolean selected) {}

    record EventRow(long id, String what, String action, String when, String who, String detail) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}/members/{memberId}", ctx -> show(ctx, Map.of()));
        cfg.routes.post("/units/{id}/members/{memberId}", this::save);
        cfg.routes.post("/units/{id}/members/{memberId}/delete", this::delete);
        cfg.routes.get("/units/{id}/audit", this::audit);
    }

    private Unit unit(Context ctx) {
        return UnitPage.unit(s, ctx);
    }

    private void show(Context ctx, Map<String, Object> extra) {
        Unit unit = unit(ctx);
        Member member = s.members().get(unit.id(), Pages.id(ctx, "memberId"));
        String lang = pages.lang(ctx, unit.locale());
        Map<String, Object> m = pages.model(ctx, lang, member.name() + " · " + unit.name());
        m.put("unit", unit);
        m.put("member", member);
        m.put("phone", member.phone() == null ? "" : member.phone());
        m.put("statusLabel", pages.text(lang, "status_" + member.status().wire()));
        m.put("statusClass", member.leftOn() != null ? "no" : member.status() == MemberStatus.EXEMPT ? "received" : "yes");
        m.put("datesText", datesText(member, lang));
        m.put("roles", Arrays.stream(Role.values()).map(r -> new Option(r.wire(),
                pages.text(lang, r == Role.MEMBER ? "word_" + unit.memberWord() + "_one" : "role_" + r.wire()), r == member.role())).toList());
        m.put("statuses", Arrays.stream(MemberStatus.values())
                .map(x -> new Option(x.wire(), pages.text(lang, "status_" + x.wire()), x == member.status())).toList());
        m.put("reasons", Arrays.stream(MemberStatus.LeftReason.values())
                .map(x -> new Option(x.wire(), pages.text(lang, "left_" + x.wire()), x == member.leftReason())).toList());
        m.put("today", LocalDate.now(s.clock().withZone(unit.zone())).toString());
        m.put("joinedOn", member.joinedOn() == null ? "" : member.joinedOn().toString());
        m.put("leftOn", member.leftOn() == null ? "" : member.leftOn().toString());
        m.putAll(extra);
        pages.render(ctx, "member", m);
    }

    /** "joined 2027-02-10 · left 2027-05-01 (moved)", in the page's language. */
    String datesText(Member member, String lang) {
        StringBuilder out = new StringBuilder();
        if (member.joinedOn() != null) out.append(pages.text(lang, "member_since", Pages.plainDate(member.joinedOn(), lang)));
        if (member.leftOn() != null) {
            if (!out.isEmpty()) out.append(" · ");
            out.append(pages.text(lang, "member_left", Pages.plainDate(member.leftOn(), lang), pages.text(lang, "left_" + member.leftReason().wire())));
        }
        return out.toString();
    }

    private void save(Context ctx) {
        Unit unit = unit(ctx);
        long memberId = Pages.id(ctx, "memberId");
        Member before = s.members().get(unit.id(), memberId);
        String status = ctx.formParam("status");
        // the status is sent only when it changes: saving the form again must not restate it from today
        boolean statusChanged = status != null && !status.equals(before.status().wire());
        Requests.MemberChange change = new Requests.MemberChange(ctx.formParam("name"), ctx.formParam("role"), ctx.formParam("phone"),
                statusChanged ? status : null, statusChanged ? blank(ctx.formParam("statusFrom")) : null, blank(ctx.formParam("joinedOn")),
                blank(ctx.formParam("leftOn")), blank(ctx.formParam("leftReason")), Set.of("name", "joinedOn", "leftOn"));
        try {
            s.members().change(Pages.viewer(ctx).caller(), unit.id(), memberId, change);
        } catch (ConveneException.Invalid | ConveneException.Conflict | ConveneException.NotAllowed e) {
            ctx.status(e instanceof ConveneException.NotAllowed ? 403 : 422);
            show(ctx, Map.of("problem", pages.refusal(pages.lang(ctx, unit.locale()), e)));
            return;
        }
        show(ctx, Map.of("saved", true));
    }

    private void delete(Context ctx) {
        Unit unit = unit(ctx);
        long memberId = Pages.id(ctx, "memberId");
        String name = s.members().get(unit.id(), memberId).name();
        try {
            s.members().delete(Pages.viewer(ctx).caller(), unit.id(), memberId);
        } catch (ConveneException.Conflict | ConveneException.NotAllowed e) {
            ctx.status(e instanceof ConveneException.NotAllowed ? 403 : 409);
            show(ctx, Map.of("problem", pages.refusal(pages.lang(ctx, unit.locale()), e)));
            return;
        }
        ctx.redirect("/units/" + unit.id() + "?deleted=" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8));
    }

    private void audit(Context ctx) {
        Unit unit = unit(ctx);
        String lang = pages.lang(ctx, unit.locale());
        AuditPeriod period = AuditPeriod.of(ctx, unit, s.clock());
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "audit_title") + " · " + unit.name());
        m.put("unit", unit);
        m.put("from", period.fromDay().toString());
        m.put("to", period.toDay().toString());
        // sign-ins change nothing: the page keeps to changes (the API lists them too)
        List<EventRow> events = s.units().audit(unit.id(), period.from(), period.to()).stream()
                .filter(e -> !e.action().startsWith("web.") && !e.action().startsWith("login-link.")).map(e -> row(e, unit, lang)).toList();
        m.put("events", events);
        m.put("hasEvents", !events.isEmpty());
        pages.render(ctx, "audit", m);
    }

    private EventRow row(AuditLog.Event e, Unit unit, String lang) {
        String key = "audit_" + e.action().replace('.', '_').replace('-', '_');
        String what = pages.text(lang, key);
        return new EventRow(e.id(), what.equals(key) ? e.action() : what, e.action(), Pages.dateTime(e.at(), unit.zone(), lang), who(e, lang),
                e.detail());
    }

    private String who(AuditLog.Event e, String lang) {
        if (e.actorName() != null) return e.actorName();
        String actor = e.actor();
        if (actor.startsWith("admin")) return pages.text(lang, "audit_by_admin");
        if (actor.contains("-token:")) return pages.text(lang, "audit_by_token", actor.substring(actor.indexOf(':') + 1));
        if (actor.equals("system")) return pages.text(lang, "audit_by_system");
        return actor;
    }

    private static String blank(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
