package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.convene.meeting.ChatService;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Meeting;
import org.convene.meeting.MemberCsv;
import org.convene.meeting.MemberService;
import org.convene.meeting.Unit;

/** A unit: its members and their chat accounts, its chats, the calendar feed, CSV import, link codes, meetings. */
final class UnitPage {
    private final ApiServices s;
    private final Pages pages;
    private final Supplier<String> publicUrl;

    UnitPage(ApiServices services, Pages pages, Supplier<String> publicUrl) {
        this.s = services;
        this.pages = pages;
        this.publicUrl = publicUrl;
    }

    record MemberRow(long id, String name, String role, String phone, boolean linked, String accounts, List<AccountRow> accountRows,
                     String status, String statusClass, String dates, String url) {}

    /** A linked account with who linked it, and the form that unlinks it. */
    record AccountRow(String platform, String userId, String origin) {}

    record ChatRow(long id, String title, String platform, String state, boolean active, boolean released) {}

    record MeetingRow(String title, String when, String url, String editUrl, String attendanceUrl, boolean cancelled, boolean past) {}

    record WordChoice(String value, String label, boolean selected) {}

    record LineError(long line, String lineLabel, String message) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}", ctx -> {
            Unit unit = s.units().get(Pages.id(ctx, "id"));
            if (unit.merged()) merged(ctx, unit);
            else show(ctx, Map.of());
        });
        cfg.routes.post("/units/{id}/members/{memberId}/accounts/{platform}/unlink", ctx -> {
            Unit unit = unit(ctx);
            long memberId = Pages.id(ctx, "memberId");
            s.members().unlink(Pages.viewer(ctx).caller(), unit.id(), memberId, ctx.pathParam("platform"));
            String lang = pages.lang(ctx, unit.locale());
            show(ctx, Map.of("notice", pages.text(lang, "unit_account_unlinked", ctx.pathParam("platform"), s.members().get(unit.id(), memberId).name())));
        });
        cfg.routes.post("/units/{id}/members/{memberId}/link-code", ctx -> {
            Unit unit = unit(ctx);
            long memberId = Pages.id(ctx, "memberId");
            MemberService.PersonalCode code = s.members().personalCode(Pages.viewer(ctx).caller(), unit.id(), memberId);
            String lang = pages.lang(ctx, unit.locale());
            show(ctx, Map.of("personalCode", pages.text(lang, "unit_personal_code_text", s.members().get(unit.id(), memberId).name(),
                    code.code(), Pages.dateTime(code.expiresAt(), unit.zone(), lang))));
        });
        cfg.routes.post("/units/{id}/chats/{chatId}/release", ctx -> {
            Unit unit = unit(ctx);
            s.chats().release(Pages.viewer(ctx).caller(), unit.id(), Pages.id(ctx, "chatId"));
            show(ctx, Map.of("notice", pages.text(pages.lang(ctx, unit.locale()), "unit_chat_was_released")));
        });
        cfg.routes.post("/units/{id}/calendar/rotate", ctx -> {
            Unit unit = unit(ctx);
            s.units().rotateFeed(Pages.viewer(ctx).caller(), unit.id());
            show(ctx, Map.of("notice", pages.text(pages.lang(ctx, unit.locale()), "unit_calendar_rotated")));
        });
        cfg.routes.post("/units/{id}/import", this::importCsv);
        cfg.routes.post("/units/{id}/move", ctx -> {
            Unit unit = unit(ctx);
            String lang = pages.lang(ctx, unit.locale());
            Unit parent = s.units().get(formId(ctx, "parentId"));
            org.convene.meeting.UnitService.requireReachesBoth(Pages.viewer(ctx).caller(), unit.id(), parent.id(), "move unit " + unit.id());
            String from = ctx.formParam("from");
            s.units().change(Pages.viewer(ctx).actor(), unit.id(), new org.convene.meeting.Requests.UnitChange(null, null, null, null,
                    parent.id(), from == null || from.isBlank() ? null : from, null));
            show(ctx, Map.of("notice", pages.text(lang, "unit_moved", parent.name(),
                    from == null || from.isBlank() ? pages.text(lang, "unit_move_today") : from)));
        });
        // merging cannot be undone: the first post only asks, the second (confirm=yes) merges
        cfg.routes.post("/units/{id}/merge", ctx -> {
            Unit unit = unit(ctx);
            String lang = pages.lang(ctx, unit.locale());
            Unit other = s.units().get(formId(ctx, "otherId"));
            org.convene.meeting.UnitService.requireReachesBoth(Pages.viewer(ctx).caller(), unit.id(), other.id(), "merge unit " + unit.id());
            if (!"yes".equals(ctx.formParam("confirm"))) {
                show(ctx, Map.of("mergeConfirm", Map.of("otherId", other.id(),
                        "text", pages.text(lang, "unit_merge_confirm_text", unit.name(), other.name()))));
                return;
            }
            s.units().merge(Pages.viewer(ctx).actor(), unit.id(), other.id());
            ctx.redirect("/units/" + other.id() + "?merged=" + java.net.URLEncoder.encode(unit.name(), StandardCharsets.UTF_8));
        });
        cfg.routes.post("/units/{id}/member-word", ctx -> {
            Unit unit = unit(ctx);
            String word = ctx.formParam("memberWord");
            s.units().change(Pages.viewer(ctx).actor(), unit.id(),
                    new org.convene.meeting.Requests.UnitChange(null, null, null, null, null, null, word == null ? "" : word));
            Unit changed = s.units().get(unit.id());
            show(ctx, Map.of("notice", pages.text(pages.lang(ctx, changed.locale()), "unit_word_saved",
                    pages.text(pages.lang(ctx, changed.locale()), "word_" + changed.memberWord() + "_many"))));
        });
        cfg.routes.post("/units/{id}/link-codes", ctx -> {
            Unit unit = unit(ctx);
            ChatService.LinkCode code = s.chats().newLinkCode(Pages.viewer(ctx).actor(), unit.id());
            String lang = pages.lang(ctx, unit.locale());
            show(ctx, Map.of("linkCode", code.code(), "linkCodeUntilText",
                    pages.text(lang, "unit_link_code_until", Pages.dateTime(code.expiresAt(), unit.zone(), lang))));
        });
    }

    private static long formId(Context ctx, String field) {
        try {
            return Long.parseLong(String.valueOf(ctx.formParam(field)).strip());
        } catch (NumberFormatException e) {
            throw new ConveneException.Invalid(field, "is not a unit id");
        }
    }

    private Unit unit(Context ctx) {
        return unit(s, ctx);
    }

    /** The unit a page's path names, after checking the viewer reaches it. */
    static Unit unit(ApiServices s, Context ctx) {
        Unit unit = s.units().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, unit.id());
        return unit;
    }

    /** A unit merged into another: where it went, for whoever may still open it, instead of a refusal. */
    private void merged(Context ctx, Unit unit) {
        org.convene.meeting.Caller caller = Pages.viewer(ctx).caller();
        s.units().readable(caller, unit.id());
        Unit into = s.units().successor(unit);
        String lang = pages.lang(ctx, into.locale());
        Map<String, Object> m = pages.model(ctx, lang, unit.name());
        m.put("unit", unit);
        m.put("mergedText", pages.text(lang, "unit_was_merged", unit.name(), into.name()));
        if (Pages.viewer(ctx).canSee(into.id())) {
            m.put("mergedUrl", "/units/" + into.id());
            m.put("mergedOpen", pages.text(lang, "unit_was_merged_open", into.name()));
        }
        pages.render(ctx, "unit-merged", m);
    }

    private void show(Context ctx, Map<String, Object> extra) {
        Unit unit = unit(ctx);
        String lang = pages.lang(ctx, unit.locale());
        Map<String, Object> m = pages.model(ctx, lang, unit.name());
        m.put("unit", unit);
        // read again: a rotation on this request has just changed it
        m.put("calendarUrl", publicUrl.get() + "/calendar/" + s.units().get(unit.id()).feedToken() + ".ics");
        java.time.LocalDate today = java.time.LocalDate.now(s.clock().withZone(unit.zone()));
        MemberPage words = new MemberPage(s, pages);
        List<MemberRow> all = s.members().list(unit.id()).stream().map(x -> new MemberRow(x.id(), x.name(),
                x.role() == org.convene.meeting.Role.MEMBER ? pages.text(lang, "word_" + unit.memberWord() + "_one")
                        : pages.text(lang, "role_" + x.role().wire()), x.phone() == null ? "" : x.phone(), x.linked(),
                String.join(", ", x.accounts().keySet()),
                x.linked() ? s.members().accounts(unit.id(), x.id()).stream().map(a -> new AccountRow(a.platform(), a.userId(),
                        pages.text(lang, "unit_account_origin_" + a.origin()))).toList() : List.of(),
                pages.text(lang, "status_" + x.status().wire()),
                x.leftOn() != null && !today.isBefore(x.leftOn()) ? "no" : x.status() == org.convene.meeting.MemberStatus.EXEMPT ? "received" : "yes",
                words.datesText(x, lang), "/units/" + unit.id() + "/members/" + x.id())).toList();
        // those whose membership has ended are listed apart, below: their history stays, the roster of today does not have them
        List<MemberRow> members = all.stream().filter(r -> !r.statusClass().equals("no")).toList();
        List<MemberRow> former = all.stream().filter(r -> r.statusClass().equals("no")).toList();
        m.put("members", members);
        m.put("former", former);
        m.put("hasFormer", !former.isEmpty());
        if (ctx.queryParam("meetingDeleted") != null) m.put("deletedText", pages.text(lang, "meeting_deleted", ctx.queryParam("meetingDeleted")));
        if (ctx.queryParam("deleted") != null) m.put("deletedText", pages.text(lang, "member_deleted", ctx.queryParam("deleted")));
        // the unit's own word for its members: đảng viên, đoàn viên, hội viên, thành viên
        m.put("wordChoices", Unit.MEMBER_WORDS.stream().map(w -> new WordChoice(w, pages.text(lang, "word_" + w + "_title"),
                w.equals(unit.memberWord()))).toList());
        m.put("membersTitle", pages.text(lang, "word_" + unit.memberWord() + "_title"));
        m.put("memberCountText", pages.text(lang, "unit_members_count_of", members.size(), members.stream().filter(MemberRow::linked).count(),
                pages.text(lang, "word_" + unit.memberWord() + "_many")));
        List<ChatRow> chats = s.chats().ofUnit(unit.id()).stream().map(c -> new ChatRow(c.id(), HomePage.chatName(c), c.platform(),
                c.state().equals(org.convene.meeting.Chat.RELEASED) ? pages.text(lang, "unit_chat_released") : pages.text(lang, "chat_" + c.state()),
                c.active(), c.state().equals(org.convene.meeting.Chat.RELEASED))).toList();
        m.put("chats", chats);
        m.put("hasChats", !chats.isEmpty());
        Instant now = s.clock().instant();
        List<Meeting> meetings = s.meetings().list(List.of(unit.id()), now.minus(Duration.ofDays(62)), null);
        m.put("hasMeetings", !meetings.isEmpty());
        m.put("meetings", meetings.stream().map(x -> new MeetingRow(x.title(), Pages.when(x, lang), "/meetings/" + x.id(),
                "/meetings/" + x.id() + "/edit", "/meetings/" + x.id() + "/attendance", x.cancelled(),
                x.startsAt().isBefore(now))).toList());
        List<HomePage.UnitLink> children = s.units().all().stream().filter(u -> u.parentId() != null && u.parentId() == unit.id())
                .filter(u -> Pages.viewer(ctx).canSee(u.id())).map(u -> new HomePage.UnitLink(u.id(), u.name(), "/units/" + u.id(), false)).toList();
        m.put("children", children);
        m.put("hasChildren", !children.isEmpty());
        m.put("hasUnitsBelow", s.units().all().stream().anyMatch(u -> u.parentId() != null && u.parentId() == unit.id()));
        if (unit.parentId() != null && Pages.viewer(ctx).canSee(unit.parentId())) m.put("parentUrl", "/units/" + unit.parentId());
        org.convene.meeting.Caller caller = Pages.viewer(ctx).caller();
        // moving and merging are offered to whoever the service lets do them: the admin or a supervisor reaching both units
        if (caller.supervises(unit.id())) {
            org.convene.meeting.UnitService.Choices choices = s.units().restructureChoices(caller, unit.id());
            List<HomePage.UnitLink> parents = choices.parents().stream().map(u -> new HomePage.UnitLink(u.id(), u.name(), "/units/" + u.id(), false)).toList();
            List<HomePage.UnitLink> targets = choices.targets().stream().map(u -> new HomePage.UnitLink(u.id(), u.name(), "/units/" + u.id(), false)).toList();
            m.put("restructure", Map.of("parents", parents, "hasParents", !parents.isEmpty(), "targets", targets, "hasTargets", !targets.isEmpty(),
                    "today", today.toString()));
        }
        if (ctx.queryParam("merged") != null) m.put("notice", pages.text(lang, "unit_merged", ctx.queryParam("merged"), unit.name()));
        if ("later".equals(ctx.queryParam("series"))) m.put("seriesLater", pages.text(lang, "series_later"));
        m.putAll(extra);
        pages.render(ctx, "unit", m);
    }

    record ImportRow(String lineLabel, String action, String actionClass, String name, String role, String phone, String problem) {}

    /**
     * A roster from a file or pasted text: first a preview of what each line will do (nothing
     * stored), then, on confirm, the import; good lines land, each bad one is shown with its line
     * number and what is wrong, in the page's language.
     */
    private void importCsv(Context ctx) throws IOException {
        Unit unit = unit(ctx);
        String lang = pages.lang(ctx, unit.locale());
        String csv = ctx.formParam("text");
        UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        if (file != null && file.size() > 0) {
            try (InputStream in = file.content()) {
                csv = new String(in.readNBytes(2 * 1024 * 1024), StandardCharsets.UTF_8);
            }
        }
        if (csv == null || csv.isBlank()) {
            show(ctx, Map.of("importError", pages.text(lang, "import_empty")));
            return;
        }
        try {
            if ("confirm".equals(ctx.formParam("action"))) {
                MemberService.ImportResult result = s.members().importCsv(Pages.viewer(ctx).caller(), unit.id(), csv);
                show(ctx, Map.of("imported", true, "importClean", result.errors().isEmpty(),
                        "importSummary", pages.text(lang, "import_summary", result.created(), result.updated(), result.errors().size()),
                        "hasImportErrors", !result.errors().isEmpty(),
                        "importErrors", result.errors().stream().map(e -> new LineError(e.line(),
                                pages.text(lang, "unit_import_line", e.line()), problem(lang, e))).toList()));
            } else {
                show(ctx, preview(lang, s.members().previewCsv(unit.id(), csv), csv));
            }
        } catch (ConveneException.Invalid e) {
            ConveneException.FieldError first = e.errors().get(0);
            show(ctx, Map.of("importError", pages.text(lang, "import_bad_" + first.field()), "csvText", csv));
        }
    }

    private Map<String, Object> preview(String lang, MemberService.ImportPreview preview, String csv) {
        List<ImportRow> rows = preview.rows().stream().map(plan -> switch (plan) {
            case MemberService.Create c -> new ImportRow(pages.text(lang, "unit_import_line", c.line()), pages.text(lang, "import_will_create"),
                    "yes", c.name(), pages.text(lang, "role_" + c.role().wire()), orEmpty(c.phone()), "");
            case MemberService.Update u -> new ImportRow(pages.text(lang, "unit_import_line", u.line()), pages.text(lang, "import_will_update"),
                    "none", u.name(), pages.text(lang, "role_" + u.role().wire()), orEmpty(u.phone()), "");
            case MemberService.Refused r -> new ImportRow(pages.text(lang, "unit_import_line", r.line()), pages.text(lang, "import_will_refuse"),
                    "no", "", "", "", problem(lang, r.error()));
        }).toList();
        MemberCsv.Roster roster = preview.roster();
        String read = pages.text(lang, "import_read_" + switch (roster.delimiter()) {
            case ';' -> "semicolon";
            case '\t' -> "tab";
            default -> "comma";
        }) + " " + (roster.header()
                ? pages.text(lang, "import_read_header", String.join(", ", roster.columns().stream()
                        .map(c -> pages.text(lang, "import_column_" + c.name().toLowerCase(java.util.Locale.ROOT))).toList()))
                : pages.text(lang, "import_read_no_header"));
        if (!roster.ignored().isEmpty()) read += " " + pages.text(lang, "import_read_ignored", String.join(", ", roster.ignored()));
        long creates = preview.count(MemberService.Create.class);
        long updates = preview.count(MemberService.Update.class);
        long refused = preview.count(MemberService.Refused.class);
        return Map.of("previewing", true, "previewRows", rows, "previewRead", read, "csvText", csv,
                "previewSummary", pages.text(lang, "import_preview_summary", creates, updates, refused),
                "previewClean", refused == 0, "canConfirm", creates + updates > 0);
    }

    /** A refused line in the page's language: each problem code has its text, the cell at fault filled in. */
    private String problem(String lang, MemberService.LineError e) {
        return pages.text(lang, "import_problem_" + e.code(), e.value() == null ? "" : e.value());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
