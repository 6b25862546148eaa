package org.convene.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.convene.delivery.DeliveryDao;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Material;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Requests;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceService;
import org.convene.schedule.ReminderDao;

/** Meetings and what hangs off them: materials, responses, deliveries, attendance. */
final class MeetingRoutes {
    private final ApiServices s;

    MeetingRoutes(ApiServices services) {
        this.s = services;
    }

    record CancelRequest(String reason) {}

    record PhoneReply(Long memberId, String rsvp, String reason, String reasonCode) {}

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/meetings", ctx -> {
            Requests.MeetingRequest request = meetingRequest(ctx);
            if (request.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
            s.units().get(request.unitId());
            WebServer.requireUnit(ctx, request.unitId());
            ctx.status(201).json(view(s.meetings().create(WebServer.caller(ctx), request)));
        });
        cfg.routes.get("/api/v1/meetings", this::list);
        cfg.routes.get("/api/v1/meetings/{id}", ctx -> ctx.json(view(PathTargets.meeting(s, ctx))));
        cfg.routes.patch("/api/v1/meetings/{id}", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(view(s.meetings().change(WebServer.caller(ctx), m.id(), meetingRequest(ctx))));
        });
        cfg.routes.delete("/api/v1/meetings/{id}", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            s.meetings().delete(WebServer.principal(ctx).actor(), m.id());
            ctx.status(204);
        });
        cfg.routes.delete("/api/v1/materials/{id}", ctx -> {
            Material material = s.materials().get(PathTargets.id(ctx, "id"));
            WebServer.requireUnit(ctx, s.meetings().get(material.meetingId()).unitId());
            s.materials().delete(WebServer.principal(ctx).actor(), material.id());
            ctx.status(204);
        });
        cfg.routes.post("/api/v1/meetings/{id}/cancel", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            CancelRequest request = ctx.body().isBlank() ? new CancelRequest(null) : Json.read(ctx, CancelRequest.class);
            ctx.json(view(s.meetings().cancel(WebServer.principal(ctx).actor(), m.id(), request.reason())));
        });
        cfg.routes.post("/api/v1/meetings/{id}/reinstate", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(view(s.meetings().reinstate(WebServer.principal(ctx).actor(), m.id())));
        });
        cfg.routes.post("/api/v1/meetings/{id}/materials", this::upload);
        cfg.routes.get("/api/v1/meetings/{id}/materials", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(s.materials().ofMeeting(m.id()).stream().map(d -> Views.MaterialView.of(d, s.materials().limits(d))).toList());
        });
        cfg.routes.post("/api/v1/materials/{id}/versions", this::replace);
        cfg.routes.post("/api/v1/materials/{id}/remind", ctx -> {
            Material material = material(ctx);
            var reminded = s.materials().remindToRead(WebServer.principal(ctx).actor(), material.id());
            ctx.json(java.util.Map.of("chats", reminded.chats(), "notOpened", reminded.notOpened()));
        });
        cfg.routes.get("/api/v1/materials/{id}/versions", ctx -> {
            Material material = material(ctx);
            ctx.json(s.materials().versions(material.id()).stream().map(Views.MaterialView::of).toList());
        });
        cfg.routes.get("/api/v1/materials/{id}/content", ctx -> {
            Material material = material(ctx);
            Principal principal = WebServer.principal(ctx);
            s.reading().recordManagerDownload(new org.convene.meeting.DocumentReading.Reader(null, principal.actor(),
                    principal.kind() == Principal.Kind.ADMIN, principal.scope()), material);
            ctx.contentType(material.mediaType());
            ctx.header("Content-Disposition", "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(material.filename(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
            ctx.result(Files.newInputStream(s.materials().content(material)));
        });
        cfg.routes.get("/api/v1/meetings/{id}/responses", ctx -> ctx.json(s.responses().responses(PathTargets.meeting(s, ctx).id())));
        cfg.routes.post("/api/v1/meetings/{id}/responses", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            PhoneReply reply = Json.read(ctx, PhoneReply.class);
            s.responses().recordBySecretary(WebServer.caller(ctx), m.id(), reply.memberId(), reply.rsvp(), reply.reason(), reply.reasonCode());
            ctx.status(201).json(s.responses().responses(m.id()));
        });
        cfg.routes.post("/api/v1/meetings/{id}/chase", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            int chats = s.responses().chase(WebServer.principal(ctx).actor(), m.id());
            ctx.json(java.util.Map.of("chats", chats, "noReply", s.responses().responses(m.id()).summary().noReply()));
        });
        cfg.routes.get("/api/v1/meetings/{id}/deliveries", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            ctx.json(s.jdbi().withExtension(DeliveryDao.class, d -> d.ofMeeting(m.id())).stream().map(Views.DeliveryView::of).toList());
        });
        cfg.routes.put("/api/v1/meetings/{id}/attendance", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            JsonNode body = Json.tree(ctx);
            if (!body.isArray()) throw new ConveneException.Invalid("body", "must be a list of {memberId, status}");
            AttendanceService.Entry[] entries = Json.value(body, AttendanceService.Entry[].class);
            ctx.json(s.attendance().put(WebServer.principal(ctx).actor(), m.id(), List.of(entries)));
        });
        cfg.routes.get("/api/v1/meetings/{id}/attendance", ctx -> ctx.json(s.attendance().get(PathTargets.meeting(s, ctx).id())));
        cfg.routes.get("/api/v1/meetings/{id}/calendar.ics", ctx -> {
            Meeting m = PathTargets.meeting(s, ctx);
            CalendarRoutes.ics(ctx, "meeting-" + m.id() + ".ics",
                    org.convene.schedule.CalendarFeed.render(m.title(), List.of(new org.convene.schedule.CalendarFeed.Entry(m,
                            s.jdbi().withExtension(ReminderDao.class, d -> d.ofMeeting(m.id()))))));
        });
    }

    private void list(Context ctx) {
        Principal p = WebServer.principal(ctx);
        String unitParam = ctx.queryParam("unitId");
        List<Long> units;
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        if (unitParam != null) {
            Unit unit = PathTargets.unitParam(s, ctx);
            units = List.of(unit.id());
            zone = unit.zone();
        } else {
            units = p.kind() == Principal.Kind.ADMIN ? s.units().all().stream().map(Unit::id).toList() : p.scope();
        }
        Instant from = time(ctx, "from", zone);
        Instant to = time(ctx, "to", zone);
        ctx.json(s.meetings().list(units, from, to).stream().map(this::view).toList());
    }

    /** A date or date-time; without an offset it is read in the unit's zone (UTC when no unit is named). */
    private Instant time(Context ctx, String name, java.time.ZoneId zone) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return null;
        Instant parsed = MeetingService.parseInstant(value.length() == 10 ? value + "T00:00" : value, zone);
        if (parsed == null) throw new ConveneException.Invalid(name, "is not an ISO-8601 date or date-time");
        return parsed;
    }

    private void upload(Context ctx) throws java.io.IOException {
        Meeting m = PathTargets.meeting(s, ctx);
        UploadedFile file = multipartFile(ctx);
        boolean confidential = "true".equalsIgnoreCase(ctx.formParam("confidential"));
        boolean observers = "true".equalsIgnoreCase(ctx.formParam("observersMayView"));
        if (observers && !confidential) throw new ConveneException.Invalid("observersMayView", "is only for confidential documents");
        Material material;
        try (InputStream in = file.content()) {
            material = s.materials().attach(WebServer.principal(ctx).actor(), m.id(), file.filename(), in,
                    new org.convene.meeting.MaterialService.Sharing(confidential, observers));
        }
        ctx.status(201).json(Views.MaterialView.of(material, s.materials().limits(material)));
    }

    /** A new version of a document: multipart, field "file"; the one named must be the current version. */
    private void replace(Context ctx) throws java.io.IOException {
        Material previous = material(ctx);
        UploadedFile file = multipartFile(ctx);
        Material material;
        try (InputStream in = file.content()) {
            material = s.materials().replace(WebServer.principal(ctx).actor(), previous.id(), file.filename(), in);
        }
        ctx.status(201).json(Views.MaterialView.of(material, s.materials().limits(material)));
    }

    /** The material named in the path, after checking the caller acts on its meeting's unit. */
    private Material material(Context ctx) {
        Material material = s.materials().get(PathTargets.id(ctx, "id"));
        WebServer.requireUnit(ctx, s.meetings().get(material.meetingId()).unitId());
        return material;
    }


    /** The uploaded "file" of a multipart request, refused early when the declared length is over the limit. */
    private UploadedFile multipartFile(Context ctx) {
        String length = ctx.header("Content-Length");
        if (length != null && length.matches("\\d+") && Long.parseLong(length) > s.materials().maxBytes() + 64 * 1024) {
            throw new ConveneException.TooLarge("the upload is larger than the limit of " + s.materials().maxBytes() + " bytes");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        if (!type.startsWith("multipart/form-data")) throw ApiError.malformed("send the file as multipart/form-data, field \"file\"");
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null) throw new ConveneException.Invalid("file", "is required (multipart field \"file\")");
        return file;
    }

    private Views.MeetingView view(Meeting m) {
        return Views.MeetingView.of(m, s.jdbi().withExtension(ReminderDao.class, d -> d.ofMeeting(m.id())), s.followUp().state(m));
    }

    /** Takes "reminders" out of a request body: each "P3D" or {offset, kind}; null when the body has none. */
    static List<Requests.ReminderRequest> takeReminders(JsonNode body) {
        JsonNode r = body.get("reminders");
        if (r == null || r.isNull()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) body).remove("reminders");
            return null;
        }
        if (!r.isArray()) throw new ConveneException.Invalid("reminders", "must be a list");
        List<Requests.ReminderRequest> reminders = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            JsonNode item = r.get(i);
            if (item.isTextual()) reminders.add(new Requests.ReminderRequest(item.asText(), null));
            else if (item.isObject()) reminders.add(new Requests.ReminderRequest(
                    item.hasNonNull("offset") ? item.get("offset").asText() : null,
                    item.hasNonNull("kind") ? item.get("kind").asText() : null));
            else throw new ConveneException.Invalid("reminders[" + i + "]", "must be an ISO duration or {offset, kind}");
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).remove("reminders");
        return reminders;
    }

    /** Reminders come as "P3D" or {offset, kind}; everything else maps onto the request record. */
    private static Requests.MeetingRequest meetingRequest(Context ctx) {
        JsonNode body = Json.tree(ctx);
        if (!body.isObject()) throw ApiError.malformed("the body must be a JSON object");
        List<Requests.ReminderRequest> reminders = takeReminders(body);
        JsonNode startsAt = body.get("startsAt");
        if (startsAt != null && !startsAt.isNull() && !startsAt.isTextual()) throw new ConveneException.Invalid("startsAt", "must be an ISO-8601 string");
        Requests.MeetingRequest parsed = Json.value(body, Requests.MeetingRequest.class);
        return new Requests.MeetingRequest(parsed.unitId(), parsed.title(), parsed.kind(), parsed.startsAt(), parsed.durationMinutes(),
                parsed.location(), parsed.agenda(), reminders, parsed.observerUnitIds(), parsed.theme(), parsed.recorded());
    }
}
