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
import org.convene.meeting.Meeting;
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

    record MemberRow(long id, String name, String role, String phone, boolean linked, String accounts) {}

    record ChatRow(String title, String platform, String state, boolean active) {}

    record MeetingRow(String title, String when, String url, String editUrl, String attendanceUrl, boolean cancelled, boolean past) {}

    record LineError(long line, String lineLabel, String message) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}", ctx -> show(ctx, Map.of()));
        cfg.routes.post("/units/{id}/import", this::importCsv);
        cfg.routes.post("/units/{id}/link-codes", ctx -> {
            Unit unit = unit(ctx);
            ChatService.LinkCode code = s.chats().newLinkCode(Pages.viewer(ctx).actor(), unit.id());
            String lang = pages.lang(ctx, unit.locale());
            show(ctx, Map.of("linkCode", code.code(), "linkCodeUntilText",
                    pages.text(lang, "unit_link_code_until", Pages.dateTime(code.expiresAt(), unit.zone(), lang))));
        });
    }

    private Unit unit(Context ctx) {
        Unit unit = s.units().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, unit.id());
        return unit;
    }

    private void show(Context ctx, Map<String, Object> extra) {
        Unit unit = unit(ctx);
        String lang = pages.lang(ctx, unit.locale());
        Map<String, Object> m = pages.model(ctx, lang, unit.name());
        m.put("unit", unit);
        m.put("calendarUrl", publicUrl.get() + "/calendar/" + unit.feedToken() + ".ics");
        List<MemberRow> members = s.members().list(unit.id()).stream().map(x -> new MemberRow(x.id(), x.name(),
                pages.text(lang, "role_" + x.role().wire()), x.phone() == null ? "" : x.phone(), x.linked(),
                String.join(", ", x.accounts().keySet()))).toList();
        m.put("members", members);
        m.put("memberCountText", pages.text(lang, "unit_members_count", members.size(), members.stream().filter(MemberRow::linked).count()));
        List<ChatRow> chats = s.chats().ofUnit(unit.id()).stream().map(c -> new ChatRow(HomePage.chatName(c), c.platform(),
                pages.text(lang, "chat_" + c.state()), c.active())).toList();
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
        if ("later".equals(ctx.queryParam("series"))) m.put("seriesLater", pages.text(lang, "series_later"));
        m.putAll(extra);
        pages.render(ctx, "unit", m);
    }

    /** A roster from a file or pasted text; good lines land, each bad one is shown with its line number. */
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
        MemberService.ImportResult result;
        try {
            result = s.members().importCsv(Pages.viewer(ctx).caller(), unit.id(), csv);
        } catch (org.convene.meeting.ConveneException.Invalid e) {
            show(ctx, Map.of("importError", e.getMessage()));
            return;
        }
        show(ctx, Map.of("imported", true,
                "importSummary", pages.text(lang, "import_summary", result.created(), result.updated(), result.errors().size()),
                "hasImportErrors", !result.errors().isEmpty(),
                "importErrors", result.errors().stream()
                        .map(e -> new LineError(e.line(), pages.text(lang, "unit_import_line", e.line()), e.message())).toList()));
    }
}
