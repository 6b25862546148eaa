package org.convene.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.convene.meeting.AgendaItem;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Requests.ReminderRequest;
import org.convene.schedule.ReminderDao;
import org.convene.schedule.Series;
import org.convene.schedule.SeriesDefinition;
import org.convene.schedule.SeriesRequest;
import org.convene.schedule.SeriesService;

/** Recurring series: create, read, change from a date on, end; and the preview of a rule. */
final class SeriesRoutes {
    /** As the contract writes occurrences, seconds included: "2027-01-03T19:30:00+07:00". */
    private static final java.time.format.DateTimeFormatter OCCURRENCE = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private final ApiServices s;

    SeriesRoutes(ApiServices services) {
        this.s = services;
    }

    record EndRequest(String until) {}

    /** One segment of a series as shown: what it makes from {@code from} on. */
    record SegmentView(LocalDate from, String title, String kind, String rrule, Integer lunarDay, LocalDate anchorDate, LocalTime startTime,
                       int durationMinutes, String holidayPolicy, List<ReminderRequest> reminders, List<AgendaItem> agenda, String location) {
        static SegmentView of(Series.Segment segment) {
            SeriesDefinition d = segment.definition();
            return new SegmentView(segment.from(), d.title(), d.kind(), d.rrule(), d.lunarDay(), d.anchorDate(), d.startTime(),
                    d.durationMinutes(), d.holidayPolicy(), d.reminders(), d.agenda(), d.location());
        }
    }

    /** The series with its rule in force now (or at its start, before it began) at the top level. */
    record SeriesView(long id, long unitId, String title, String kind, String rrule, Integer lunarDay, LocalDate startDate, String startTime,
                      String timezone, int durationMinutes, String holidayPolicy, List<ReminderRequest> reminders, List<AgendaItem> agenda,
                      String location, LocalDate until, int version, List<SegmentView> segments, List<Views.MeetingView> upcoming) {}

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/series", ctx -> {
            SeriesRequest request = request(ctx);
            if (request.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
            s.units().get(request.unitId());
            Principal p = WebServer.requireUnit(ctx, request.unitId());
            ctx.status(201).json(view(s.series().create(p.actor(), request)));
        });
        // before /{id}, which would otherwise take "preview" for an id
        cfg.routes.get("/api/v1/series/preview", this::preview);
        cfg.routes.get("/api/v1/series/{id}", ctx -> ctx.json(view(series(ctx))));
        cfg.routes.patch("/api/v1/series/{id}", ctx -> {
            SeriesService.WithUpcoming current = series(ctx);
            ctx.json(view(s.series().change(WebServer.principal(ctx).actor(), current.series().id(), request(ctx))));
        });
        cfg.routes.post("/api/v1/series/{id}/end", ctx -> {
            SeriesService.WithUpcoming current = series(ctx);
            EndRequest request = Json.read(ctx, EndRequest.class);
            ctx.json(view(s.series().end(WebServer.principal(ctx).actor(), current.series().id(), request.until())));
        });
    }

    private void preview(Context ctx) {
        WebServer.principal(ctx);
        Integer count = integer(ctx, "count");
        Integer lunarDay = integer(ctx, "lunarDay");
        String zone = ctx.queryParam("zone");
        SeriesService.Preview preview = s.series().previewOf(ctx.queryParam("rrule"), lunarDay, ctx.queryParam("start"), zone, count,
                ctx.queryParam("holidayPolicy"), ctx.queryParam("country"));
        List<String> occurrences = preview.occurrences().stream().map(z -> z.format(OCCURRENCE)).toList();
        // fewer than asked for is said in the body, never left for the caller to notice
        ctx.json(preview.fewerBecause() == null ? Map.of("occurrences", occurrences)
                : Map.of("occurrences", occurrences, "requested", preview.requested(), "fewerBecause", preview.fewerBecause()));
    }

    private static Integer integer(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return null;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConveneException.Invalid(name, "is not a whole number");
        }
    }

    /** The series of the path, after checking it exists (404) and the caller may act on its unit (403). */
    private SeriesService.WithUpcoming series(Context ctx) {
        SeriesService.WithUpcoming found = s.series().get(PathTargets.id(ctx, "id"));
        WebServer.requireUnit(ctx, found.series().unitId());
        return found;
    }

    private SeriesView view(SeriesService.WithUpcoming w) {
        Series series = w.series();
        Series.Segment now = series.at(java.time.Instant.now(s.clock()).atZone(series.zoneId()).toLocalDate());
        SeriesDefinition d = now.definition();
        ZoneId zone = series.zoneId();
        List<Views.MeetingView> upcoming = w.upcoming().stream()
                .map(m -> Views.MeetingView.of(m, s.jdbi().withExtension(ReminderDao.class, dao -> dao.ofMeeting(m.id())), s.followUp().state(m))).toList();
        return new SeriesView(series.id(), series.unitId(), d.title(), d.kind(), d.rrule(), d.lunarDay(), series.segments().get(0).from(),
                d.startTime().toString(), zone.getId(), d.durationMinutes(), d.holidayPolicy(), d.reminders(), d.agenda(), d.location(),
                series.until(), series.version(), series.segments().stream().map(SegmentView::of).toList(), upcoming);
    }

    /** Reminders come as "P3D" or {offset, kind}; everything else maps onto the request record, unknown fields refused. */
    private static SeriesRequest request(Context ctx) {
        JsonNode body = Json.tree(ctx);
        if (!body.isObject()) throw ApiError.malformed("the body must be a JSON object");
        List<ReminderRequest> reminders = MeetingRoutes.takeReminders(body);
        for (String field : List.of("startDate", "startTime", "from", "rrule")) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) throw new ConveneException.Invalid(field, "must be a string");
        }
        SeriesRequest parsed = Json.value(body, SeriesRequest.class);
        return new SeriesRequest(parsed.unitId(), parsed.title(), parsed.kind(), parsed.rrule(), parsed.lunarDay(), parsed.startDate(),
                parsed.startTime(), parsed.durationMinutes(), parsed.holidayPolicy(), reminders, parsed.agenda(), parsed.location(), parsed.from());
    }
}
