package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialsPageService;
import org.convene.meeting.Meeting;

/**
 * A meeting's materials page, {@code GET /m/<token>}, and its downloads, {@code GET /m/<token>/<materialId>}:
 * open without signing in (the token is the credential), for members on phones who got the link in a group
 * whose platform cannot post documents. The page guard of {@link Pages} gives it the no-referrer, no-store
 * and no-framing headers, so the token leaks neither to other sites nor into caches. For the secretary,
 * {@code GET /api/v1/meetings/<id>/materials-page} gives the link to share by hand.
 */
final class MaterialsPage {
    private final ApiServices s;
    private final Pages pages;

    MaterialsPage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record Document(long id, String filename, String size, String href) {}

    record LinkView(long meetingId, String url, java.time.OffsetDateTime expiresAt) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get(MaterialsPageService.PATH + "{token}", this::show);
        cfg.routes.get(MaterialsPageService.PATH + "{token}/{materialId}", this::download);
        cfg.routes.get("/api/v1/meetings/{id}/materials-page", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            MaterialsPageService.Link link = s.materialsPages().link(m.id());
            ctx.json(new LinkView(m.id(), link.url(), Views.at(link.expiresAt(), ZoneId.of(m.zone()))));
        });
    }

    private void show(Context ctx) {
        String token = ctx.pathParam("token");
        MaterialsPageService.Page page = s.materialsPages().open(token);
        Meeting meeting = page.meeting();
        String lang = pages.lang(ctx, page.unit().locale());
        ZoneId zone = ZoneId.of(meeting.zone());
        List<Document> documents = page.materials().stream().map(m -> new Document(m.id(), m.filename(), MeetingEditorPage.size(m.size(), lang),
                MaterialsPageService.PATH + token + "/" + m.id())).toList();
        Map<String, Object> model = pages.model(ctx, lang, pages.text(lang, "materials_title"));
        model.put("unitName", page.unit().name());
        model.put("meetingTitle", meeting.title());
        model.put("when", Pages.when(meeting, lang));
        model.put("location", meeting.location());
        model.put("cancelled", meeting.cancelled());
        model.put("documents", documents);
        model.put("hasDocuments", !documents.isEmpty());
        model.put("expiresLine", pages.text(lang, "materials_expires", Pages.dateTime(page.expiresAt(), zone, lang)));
        // a search engine that learns the address from a forwarded message must not list it
        ctx.header("X-Robots-Tag", "noindex, nofollow");
        pages.render(ctx, "materials", model);
    }

    private void download(Context ctx) throws java.io.IOException {
        long id = Pages.id(ctx, "materialId");
        Material material = s.materialsPages().material(ctx.pathParam("token"), id);
        // opened signed in (a member's personal link, or a session already there): a read receipt of this version
        SignIn.Viewer reader = ctx.attribute(Pages.READER);
        if (reader != null) s.reading().recordFromPage(reader.reader(), material);
        ctx.header("X-Robots-Tag", "noindex, nofollow");
        ctx.contentType(material.mediaType());
        // attachment: a phone saves the file under its own name instead of showing bytes in the browser
        ctx.header("Content-Disposition", "attachment; filename*=UTF-8''"
                + URLEncoder.encode(material.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.header("Content-Length", Long.toString(material.size()));
        ctx.result(Files.newInputStream(s.materialsPages().content(material)));
    }
}
