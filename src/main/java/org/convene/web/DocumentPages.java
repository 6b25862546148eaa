package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.meeting.DocumentReading;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;

/**
 * Documents read in the browser after signing in: a member's own list ({@code /documents}), one
 * document's pages as images with the reader's name on them ({@code /documents/{id}}), the file of a
 * document that is not confidential, and for the secretary and supervisors who opened it and the whole
 * access log ({@code /documents/{id}/views}, and the same as JSON under {@code /api/v1/materials/{id}/views}).
 */
final class DocumentPages {
    private final ApiServices s;
    private final Pages pages;

    DocumentPages(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record Listed(long id, String filename, String size, boolean confidential, String meeting, String when, String href) {}

    record PageImage(int number, String src, String alt) {}

    record VersionRow(long id, int version, String filename, String created, boolean current, String href) {}

    record ReceiptRow(String name, boolean observer, String opened, String state, String stateLabel) {}

    record ViewRow(String at, String name, String version, String what) {}

    record ReceiptView(long memberId, String name, boolean observer, Integer lastVersion, java.time.OffsetDateTime lastOpenedAt,
                       boolean openedCurrent) {}

    record ViewView(java.time.OffsetDateTime at, Long memberId, String name, long materialId, int version, String kind, Integer page) {}

    record ViewsAnswer(long documentId, int currentVersion, List<ReceiptView> receipts, List<ViewView> views) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/documents", this::mine);
        cfg.routes.get("/documents/{id}", this::show);
        cfg.routes.get("/documents/{id}/pages/{page}", this::page);
        cfg.routes.get("/documents/{id}/file", this::file);
        cfg.routes.get("/documents/{id}/views", this::views);
        cfg.routes.post("/documents/{id}/remind", ctx -> {
            long id = Pages.id(ctx, "id");
            Material current = s.reading().currentFor(reader(ctx), id);
            String outcome;
            try {
                var reminded = s.materials().remindToRead(Pages.reader(ctx).actor(), current.id());
                outcome = reminded.notOpened() == 0 ? "none" : "sent";
            } catch (org.convene.meeting.ConveneException.Conflict e) {
                outcome = "closed";
            }
            ctx.redirect("/documents/" + current.document() + "/views?reminded=" + outcome);
        });
        cfg.routes.get("/api/v1/materials/{id}/views", ctx -> {
            Principal p = WebServer.principal(ctx);
            DocumentReading.Reader reader = new DocumentReading.Reader(null, p.actor(), p.kind() == Principal.Kind.ADMIN, p.scope());
            long id = PathTargets.id(ctx, "id");
            Material current = s.reading().currentFor(reader, id);
            ZoneId zone = ZoneId.of(s.meetings().get(current.meetingId()).zone());
            ctx.json(new ViewsAnswer(current.document(), current.version(),
                    s.reading().receipts(reader, id).stream().map(r -> new ReceiptView(r.memberId(), r.name(), r.observer(), r.lastVersion(),
                            Views.at(r.lastOpenedAt(), zone), r.openedCurrent())).toList(),
                    s.reading().log(reader, id).stream().map(v -> new ViewView(Views.at(v.at(), zone), v.memberId(),
                            v.name(), v.materialId(), v.version(), v.kind(), v.page())).toList()));
        });
    }

    private static DocumentReading.Reader reader(Context ctx) {
        return Pages.reader(ctx).reader();
    }

    private void mine(Context ctx) {
        SignIn.Viewer viewer = Pages.reader(ctx);
        String lang = pages.lang(ctx, "vi");
        List<Listed> rows = new ArrayList<>();
        for (DocumentReading.Listed l : s.reading().mine(viewer.reader())) {
            Meeting m = l.meeting();
            rows.add(new Listed(l.material().document(), l.material().filename(), MeetingEditorPage.size(l.material().size(), lang),
                    l.material().confidential(), m.title(), Pages.when(m, lang), "/documents/" + l.material().document()));
        }
        Map<String, Object> model = pages.model(ctx, lang, pages.text(lang, "documents_title"));
        model.put("documents", rows);
        model.put("hasDocuments", !rows.isEmpty());
        model.put("name", viewer.name());
        pages.render(ctx, "documents", model);
    }

    private void show(Context ctx) {
        long id = Pages.id(ctx, "id");
        Long version = versionParam(ctx);
        DocumentReading.Opened opened = s.reading().open(reader(ctx), id, version);
        Material m = opened.material();
        String lang = pages.lang(ctx, opened.unit().locale());
        Map<String, Object> model = pages.model(ctx, lang, m.filename());
        model.put("filename", m.filename());
        model.put("size", MeetingEditorPage.size(m.size(), lang));
        model.put("version", m.version());
        model.put("current", m.current());
        model.put("meeting", opened.meeting().title());
        model.put("when", Pages.when(opened.meeting(), lang));
        model.put("unitName", opened.unit().name());
        model.put("confidential", m.confidential());
        model.put("downloadable", !m.confidential());
        model.put("downloadHref", "/documents/" + m.document() + "/file");
        model.put("viewable", opened.viewable());
        List<PageImage> images = new ArrayList<>();
        String v = m.current() ? "" : "?v=" + m.id();
        for (int p = 1; p <= opened.pages(); p++) {
            images.add(new PageImage(p, "/documents/" + m.document() + "/pages/" + p + v, pages.text(lang, "document_page", p, opened.pages())));
        }
        model.put("pages", images);
        model.put("pageCount", opened.pages());
        model.put("manages", opened.manages());
        model.put("viewsHref", "/documents/" + m.document() + "/views");
        model.put("hasVersions", opened.manages() && opened.versions().size() > 1);
        if (opened.manages() && opened.versions().size() > 1) {
            ZoneId zone = ZoneId.of(opened.meeting().zone());
            model.put("versions", opened.versions().stream().map(x -> new VersionRow(x.id(), x.version(), x.filename(),
                    Pages.dateTime(x.createdAt(), zone, lang), x.id() == m.id(), "/documents/" + x.document() + "?v=" + x.id())).toList());
        }
        pages.render(ctx, "document", model);
    }

    private void page(Context ctx) {
        int number;
        try {
            number = Integer.parseInt(ctx.pathParam("page"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no page " + ctx.pathParam("page"));
        }
        byte[] png = s.reading().page(reader(ctx), Pages.id(ctx, "id"), versionParam(ctx), number);
        // shown, never offered as a file: inline, not kept by the browser's cache (the guard says no-store)
        ctx.header("Content-Disposition", "inline; filename=\"page-" + number + ".png\"");
        ctx.contentType("image/png").result(png);
    }

    private void file(Context ctx) throws java.io.IOException {
        Material m = s.reading().download(reader(ctx), Pages.id(ctx, "id"));
        ctx.contentType(m.mediaType());
        ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + URLEncoder.encode(m.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.result(Files.newInputStream(s.reading().content(m)));
    }

    private void views(Context ctx) {
        long id = Pages.id(ctx, "id");
        DocumentReading.Reader reader = reader(ctx);
        List<DocumentReading.Receipt> receipts = s.reading().receipts(reader, id);
        List<DocumentReading.View> log = s.reading().log(reader, id);
        Material current = s.reading().currentFor(reader, id);
        Meeting meeting = s.meetings().get(current.meetingId());
        ZoneId zone = ZoneId.of(meeting.zone());
        String lang = pages.lang(ctx, s.units().get(meeting.unitId()).locale());
        Map<String, Object> model = pages.model(ctx, lang, pages.text(lang, "views_title", current.filename()));
        model.put("filename", current.filename());
        model.put("version", current.version());
        model.put("meeting", meeting.title());
        model.put("meetingHref", "/meetings/" + meeting.id());
        model.put("documentHref", "/documents/" + current.document());
        int opened = 0;
        List<ReceiptRow> rows = new ArrayList<>();
        for (DocumentReading.Receipt r : receipts) {
            String state = r.lastVersion() == null ? "none" : r.openedCurrent() ? "latest" : "older";
            if (r.openedCurrent()) opened++;
            rows.add(new ReceiptRow(r.name(), r.observer(), r.lastOpenedAt() == null ? "" : Pages.shortTime(r.lastOpenedAt(), zone),
                    state, pages.text(lang, "receipt_" + state, r.lastVersion() == null ? "" : r.lastVersion())));
        }
        model.put("receipts", rows);
        model.put("summary", pages.text(lang, "views_summary", opened, receipts.size(), current.version()));
        model.put("log", log.stream().map(v -> new ViewRow(Pages.shortTime(v.at(), zone), v.name(), "v" + v.version(),
                v.kind().equals(DocumentReading.PAGE) ? pages.text(lang, "view_page", v.page()) : pages.text(lang, "view_" + v.kind()))).toList());
        model.put("hasLog", !log.isEmpty());
        model.put("remindHref", "/documents/" + current.document() + "/remind");
        model.put("canRemind", !meeting.cancelled() && meeting.startsAt().isAfter(s.clock().instant()) && opened < receipts.size());
        String reminded = ctx.queryParam("reminded");
        if (reminded != null && List.of("sent", "none", "closed").contains(reminded)) model.put("remindedNotice", pages.text(lang, "views_reminded_" + reminded));
        pages.render(ctx, "document-views", model);
    }

    /** {@code ?v=ID}: an earlier version, for those who manage the unit. */
    private static Long versionParam(Context ctx) {
        String v = ctx.queryParam("v");
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no version " + v);
        }
    }
}
