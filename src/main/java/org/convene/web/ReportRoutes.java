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
        cfg.routes.get("/api/v1/reports/units", this::units);
        cfg.routes.get("/api/v1/reports/members", this::members);
    }

    /** The roll-up alone: one row per unit and month or quarter, the units that need attention first. */
    private void units(Context ctx) {
        Scope scope = scope(ctx);
        AttendanceReport report = s.reports().attendance(WebServer.caller(ctx), scope.unit(), scope.from(), scope.to());
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("json");
        switch (format) {
            case "json" -> ctx.json(java.util.Map.of("unitId", scope.unit().id(), "target", report.target(), "rows", report.units()));
            case "csv" -> csv(ctx, "units-" + scope.unit().id(), ReportService.csv(report, "units"));
            default -> throw new ConveneException.Invalid("format", "must be json or csv");
        }
    }

    /** Per member and year: what a cell needs for its yearly review of members. */
    private void members(Context ctx) {
        Unit unit = PathTargets.unitParam(s, ctx);
        int year;
        try {
            year = Integer.parseInt(ctx.queryParamAsClass("year", String.class).getOrDefault(String.valueOf(s.clock().instant().atZone(unit.zone()).getYear())));
        } catch (NumberFormatException e) {
            throw new ConveneException.Invalid("year", "is not a year");
        }
        if (year < 2000 || year > 2200) throw new ConveneException.Invalid("year", "must be between 2000 and 2200");
        var rows = s.reports().memberYear(unit, year);
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("json");
        switch (format) {
            case "json" -> ctx.json(java.util.Map.of("unitId", unit.id(), "year", year, "rows", rows));
            case "csv" -> csv(ctx, "members-" + unit.id() + "-" + year, ReportService.memberCsv(rows));
            default -> throw new ConveneException.Invalid("format", "must be json or csv");
        }
    }

    private record Scope(Unit unit, Instant from, Instant to) {}

    private Scope scope(Context ctx) {
        Unit unit = PathTargets.unitParam(s, ctx);
        ZoneId zone = unit.zone();
        YearMonth thisMonth = YearMonth.from(s.clock().instant().atZone(zone));
        Instant from = bound(ctx.queryParam("from"), "from", zone, false, thisMonth.atDay(1));
        Instant to = bound(ctx.queryParam("to"), "to", zone, true, thisMonth.atEndOfMonth());
        if (!to.isAfter(from)) throw new ConveneException.Invalid("to", "must be after from");
        return new Scope(unit, from, to);
    }


    private static void csv(Context ctx, String name, String body) {
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").result(body);
    }

    private void attendance(Context ctx) {
        Scope scope = scope(ctx);
        Unit unit = scope.unit();
        String format = ctx.queryParamAsClass("format", String.class).getOrDefault("json");
        AttendanceReport report = s.reports().attendance(WebServer.caller(ctx), unit, scope.from(), scope.to());
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
