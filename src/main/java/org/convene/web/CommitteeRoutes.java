package org.convene.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Meeting;
import org.convene.meeting.MinutesService;
import org.convene.meeting.ProductService;
import org.convene.meeting.Task;
import org.convene.meeting.TopicService;
import org.convene.meeting.Unit;

/** What committees above cells do: topics pushed down, products of thematic sessions, minutes and tasks. */
final class CommitteeRoutes {
    private final ApiServices s;

    CommitteeRoutes(ApiServices services) {
        this.s = services;
    }

    record TaskChange(String state) {}

    /** An experience-sharing session after a pilot meeting; {@code unitId} hosts it (default: the committee above). */
    record ExperienceRequest(Long unitId, String title, String startsAt, Integer durationMinutes, String location) {}

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/units/{id}/topics", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            var topic = s.topics().push(WebServer.caller(ctx), unit.id(), Json.read(ctx, TopicService.TopicRequest.class));
            ctx.status(201).json(topic);
        });
        cfg.routes.get("/api/v1/topics/{id}", ctx -> {
            var topic = s.topics().get(PathTargets.id(ctx, "id"));
            WebServer.requireUnit(ctx, topic.unitId());
            ctx.json(topic);
        });
        cfg.routes.post("/api/v1/meetings/{id}/products", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
            if (!type.startsWith("multipart/form-data")) {
                ctx.status(201).json(s.products().add(WebServer.principal(ctx).actor(), m.id(), Json.read(ctx, ProductService.ProductRequest.class)));
                return;
            }
            // a product that comes as a file: the fields beside it in the same form
            var request = new ProductService.ProductRequest(ctx.formParam("kind"), ctx.formParam("title"),
                    ctx.formParam("url") == null || ctx.formParam("url").isBlank() ? null : ctx.formParam("url"));
            var file = ctx.uploadedFile("file");
            if (file == null) throw new ConveneException.Invalid("file", "is required in a multipart request (or send JSON without a file)");
            try (var in = file.content()) {
                ctx.status(201).json(s.products().add(WebServer.principal(ctx).actor(), m.id(), request, file.filename(), in));
            }
        });
        cfg.routes.get("/api/v1/products/{id}/content", ctx -> {
            var product = s.products().get(PathTargets.id(ctx, "id"));
            WebServer.requireUnit(ctx, s.meetings().get(product.meetingId()).unitId());
            if (product.file() == null) throw ApiError.notFound("product " + product.id() + " has no file");
            ctx.contentType(product.file().mediaType());
            ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(product.file().filename(),
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            ctx.result(java.nio.file.Files.newInputStream(s.products().content(product.file())));
        });
        cfg.routes.get("/api/v1/meetings/{id}/products", ctx -> ctx.json(s.products().ofMeeting(PathTargets.meeting(s, ctx).id())));
        cfg.routes.get("/api/v1/meetings/{id}/feedback", ctx -> ctx.json(s.feedback().of(PathTargets.meeting(s, ctx).id())));
        cfg.routes.post("/api/v1/meetings/{id}/experience-session", ctx -> {
            Meeting pilot = PathTargets.meeting(s, ctx);
            ExperienceRequest r = Json.read(ctx, ExperienceRequest.class);
            long host = r.unitId() != null ? r.unitId() : s.units().get(pilot.unitId()).parentId() != null
                    ? s.units().get(pilot.unitId()).parentId() : pilot.unitId();
            s.units().get(host);
            WebServer.requireUnit(ctx, host);
            ctx.status(201).json(s.meetings().experienceSession(WebServer.caller(ctx), pilot.id(), host, r.title(), r.startsAt(), r.durationMinutes(), r.location()));
        });
        cfg.routes.put("/api/v1/meetings/{id}/minutes", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(s.minutes().file(WebServer.principal(ctx).actor(), m.id(), Json.read(ctx, MinutesService.MinutesRequest.class)));
        });
        cfg.routes.get("/api/v1/meetings/{id}/minutes", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(s.minutes().current(m.id()));
        });
        cfg.routes.get("/api/v1/units/{id}/tasks", ctx -> {
            Unit unit = PathTargets.unit(s, ctx);
            String state = ctx.queryParam("state");
            ctx.json(s.minutes().tasks(unit.id(), state == null || state.equals("all") ? null : state));
        });
        cfg.routes.patch("/api/v1/tasks/{id}", ctx -> {
            Task task = s.minutes().task(PathTargets.id(ctx, "id"));
            Principal p = WebServer.requireUnit(ctx, task.unitId());
            ctx.json(s.minutes().setState(p.actor(), task.id(), Json.read(ctx, TaskChange.class).state()));
        });
    }


}
