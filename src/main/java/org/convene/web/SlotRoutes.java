package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.convene.meeting.ConveneException;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Unit;

/** Free times for a unit's next meeting: evenings, weekends and holidays clear of the meetings of the unit and those above it. */
final class SlotRoutes {
    private static final Duration LONGEST_RANGE = Duration.ofDays(92);

    private final ApiServices s;

    SlotRoutes(ApiServices services) {
        this.s = services;
    }

    record SlotView(OffsetDateTime start, OffsetDateTime end, String why, double score) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/units/{id}/slots", ctx -> {
            Unit unit = s.units().get(PathTargets.id(ctx, "id"));
            WebServer.requireUnit(ctx, unit.id());
            ZoneId zone = unit.zone();
            Instant now = Instant.now(s.clock());
            Instant from = time(ctx, "from", zone, false);
            if (from == null) from = now;
            Instant to = time(ctx, "to", zone, true);
            if (to == null) to = from.plus(Duration.ofDays(14));
            if (!to.isAfter(from)) throw new ConveneException.Invalid("to", "must be after from");
            if (Duration.between(from, to).compareTo(LONGEST_RANGE) > 0) throw new ConveneException.Invalid("to", "must be at most 92 days after from");
            String minutesText = ctx.queryParam("durationMinutes");
            int minutes;
            try {
                minutes = minutesText == null || minutesText.isBlank() ? 120 : Integer.parseInt(minutesText.strip());
            } catch (NumberFormatException e) {
                throw new ConveneException.Invalid("durationMinutes", "is not a whole number");
            }
            if (minutes < 15 || minutes > 600) throw new ConveneException.Invalid("durationMinutes", "must be between 15 and 600");
            ctx.json(s.slots().free(unit, from, to, minutes).stream()
                    .map(slot -> new SlotView(Views.at(slot.start(), zone), Views.at(slot.end(), zone), slot.why().wire(), slot.score()))
                    .toList());
        });
    }

    /** A date (its start; for "to", the end of that day) or a date-time, local to the unit without an offset. */
    private static Instant time(Context ctx, String name, ZoneId zone, boolean endOfDay) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return null;
        if (value.strip().length() == 10) {
            try {
                LocalDate day = LocalDate.parse(value.strip());
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            } catch (java.time.DateTimeException e) {
                throw new ConveneException.Invalid(name, "is not an ISO-8601 date or date-time");
            }
        }
        Instant parsed = MeetingService.parseInstant(value, zone);
        if (parsed == null) throw new ConveneException.Invalid(name, "is not an ISO-8601 date or date-time");
        return parsed;
    }
}
