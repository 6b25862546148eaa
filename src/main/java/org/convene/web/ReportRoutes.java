package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.convene.meeting.ConveneException;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceReport;
import org.convene.response.ReportService;

/** Attendance reports: JSON for programs and pages, CSV for spreadsheets. */
final class ReportRoutes {
    private final ApiServices s;

    ReportRoutes(ApiServices services) {
        this.s = services;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/reports/attendance", this::attendance);
    }

    private void attendance(Context ctx) {
        String unitParam = ctx.queryParam("unitId");
        if (unitParam == null || unitParam.isBlank()) throw new ConveneException.Invalid("unitId", "is required");
        long unitId;
        try {
            unitId = Long.parseLong(unitParam);
        } catch (NumberFormatException e) {
            throw new ConveneException.Invalid("unitId", "is not a unit id");
        }
        Unit unit = s.units().get(unitId);
        WebServer.requireUnit(ctx, unit.id());
        ZoneId zone = unit.zone();
        YearMonth thisMonth = YearMonth.from(s.clock().instant().atZone(zone));
        Instant from = bound(ctx.queryParam("from"), "from", zone, false, thisMonth.atDay(1));
        Instant to = bound(ctx.queryParam("to"), "to", zone, true, thisMonth.atEndOfMonth());
        if (!to.isAfter(from)) throw new ConveneException.Invalid("to", "must be after from");
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("json");
        AttendanceReport report = s.reports().attendance(unit, from, to);
        switch (format) {
            case "json" -> ctx.json(report);
            case "csv" -> {
                String view = ctx.queryParamAsClass("view", String.class).getOrDefault("members");
                if (!view.equals("members") && !view.equals("meetings") && !view.equals("units")) {
                    throw new ConveneException.Invalid("view", "must be members, meetings or units");
                }
                ctx.contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"attendance-" + unit.id() + "-" + view + ".csv\"")
                        .result(ReportService.csv(report, view));
            }
            default -> throw new ConveneException.Invalid("format", "must be json or csv");
        }
    }

    /** A date (whole days in the unit's zone; {@code to} includes its day) or a date-time; missing means this month. */
    private static Instant bound(String value, String name, ZoneId zone, boolean end, LocalDate fallback) {
        if (value == null || value.isBlank()) return end ? fallback.plusDays(1).atStartOfDay(zone).toInstant() : fallback.atStartOfDay(zone).toInstant();
        try {
            LocalDate date = LocalDate.parse(value);
            return end ? date.plusDays(1).atStartOfDay(zone).toInstant() : date.atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            Instant at = MeetingService.parseInstant(value, zone);
            if (at == null) throw new ConveneException.Invalid(name, "is not an ISO-8601 date or date-time");
            return at;
        }
    }
}
