package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceReport;
import org.convene.response.ReportService;

/**
 * Reports: the monthly attendance rate of the unit and the units right below it, against the target, as a
 * chart and a table, with the CSV for spreadsheets.
 */
final class ReportPage {
    private static final int MAX_SERIES = AttendanceChart.COLOURS.size();

    private final ApiServices s;
    private final Pages pages;

    ReportPage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    record Legend(String name, String colour) {}

    /** {@code period} is the month's key (2026-11, in test ids and links); {@code month} its words (Tháng 11/2026). */
    record TableRow(long unitId, String unit, String period, int meetings, int invited, int present, int excused, int absent, String rate,
                    boolean belowTarget, boolean noMeeting, String month) {}

    record Range(YearMonth first, YearMonth last, Instant from, Instant to) {}

    record MonthOption(String value, String label, boolean selected) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}/reports", this::show);
        cfg.routes.get("/units/{id}/reports.csv", ctx -> {
            Unit unit = unit(ctx);
            Range range = range(ctx, unit.zone());
            String view = ctx.queryParam("view");
            if (view == null || !List.of("members", "meetings", "units").contains(view)) view = "units";
            AttendanceReport report = s.reports().attendance(Pages.viewer(ctx).caller(), unit, range.from(), range.to());
            ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"attendance-" + unit.id() + "-" + range.first() + "-" + range.last()
                            + "-" + view + ".csv\"")
                    .result(ReportService.csv(report, view));
        });
    }

    private Unit unit(Context ctx) {
        Unit unit = s.units().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, unit.id());
        return unit;
    }

    /** Six months ending with {@code to} (a YYYY-MM), or with this month. */
    private Range range(Context ctx, ZoneId zone) {
        YearMonth last = YearMonth.from(s.clock().instant().atZone(zone));
        String to = ctx.queryParam("to");
        if (to != null && !to.isBlank()) {
            try {
                last = YearMonth.parse(to);
            } catch (DateTimeParseException e) {
                // an unreadable month shows this month, as an empty field would
            }
        }
        YearMonth first = last.minusMonths(5);
        return new Range(first, last, first.atDay(1).atStartOfDay(zone).toInstant(), last.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
    }

    private void show(Context ctx) {
        Unit unit = unit(ctx);
        String lang = pages.lang(ctx, unit.locale());
        Range range = range(ctx, unit.zone());
        AttendanceReport report = s.reports().attendance(Pages.viewer(ctx).caller(), unit, range.from(), range.to());
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "report_title") + " · " + unit.name());
        m.put("unit", unit);
        List<String> months = new ArrayList<>();
        for (YearMonth ym = range.first(); !ym.isAfter(range.last()); ym = ym.plusMonths(1)) months.add(ym.toString());
        // the unit itself (its rows sum its subtree) and the units right below it
        Map<Long, String> shown = new LinkedHashMap<>();
        shown.put(unit.id(), unit.name());
        report.units().stream().filter(r -> r.parentId() != null && r.parentId() == unit.id())
                .forEach(r -> shown.putIfAbsent(r.unitId(), r.name()));
        List<AttendanceChart.Series> series = new ArrayList<>();
        List<Legend> legend = new ArrayList<>();
        for (Map.Entry<Long, String> e : shown.entrySet()) {
            if (series.size() == MAX_SERIES) break;
            List<Double> rates = new ArrayList<>();
            for (String month : months) {
                // no row: that month the unit was not below this one (moved in later, or away before)
                rates.add(report.units().stream().filter(r -> r.unitId() == e.getKey() && r.period().equals(month))
                        .findFirst().map(AttendanceReport.UnitRow::rate).orElse(Double.NaN));
            }
            series.add(new AttendanceChart.Series(e.getValue(), rates));
            legend.add(new Legend(e.getValue(), AttendanceChart.COLOURS.get(legend.size())));
        }
        String targetLabel = pages.text(lang, "report_target", HomePage.percent(report.target()));
        String chartTitle = pages.text(lang, "report_chart_title", unit.name());
        String chartDesc = pages.text(lang, "report_chart_desc", months.get(0), months.get(months.size() - 1), HomePage.percent(report.target()),
                pages.text(lang, "word_" + unit.memberWord() + "_many"));
        StringBuilder charts = new StringBuilder();
        for (AttendanceChart.Size size : AttendanceChart.Size.values()) {
            // the narrow chart names months as 07/26 so six of them fit a phone
            List<String> labels = size == AttendanceChart.Size.WIDE ? months
                    : months.stream().map(x -> x.substring(5) + "/" + x.substring(2, 4)).toList();
            charts.append(AttendanceChart.svg(size, chartTitle, chartDesc, labels, series, report.target(), targetLabel,
                    pages.text(lang, "report_no_meeting_mark")));
        }
        m.put("chart", charts.toString());
        m.put("legend", legend);
        m.put("targetLabel", targetLabel);
        List<TableRow> table = new ArrayList<>();
        for (String month : months.reversed()) {
            for (AttendanceReport.UnitRow r : report.units()) {
                if (!r.period().equals(month) || !shown.containsKey(r.unitId())) continue;
                table.add(new TableRow(r.unitId(), r.name(), month, r.meetings(), r.invited(), r.present(), r.excused(), r.absent(), HomePage.percent(r.rate()),
                        r.belowTarget(), r.noMeeting(), monthLabel(YearMonth.parse(month), lang)));
            }
        }
        m.put("rows", table);
        List<MonthOption> options = new ArrayList<>();
        YearMonth now = YearMonth.from(s.clock().instant().atZone(unit.zone()));
        for (int i = 0; i < 24; i++) {
            YearMonth ym = now.minusMonths(i);
            options.add(new MonthOption(ym.toString(), monthLabel(ym, lang), ym.equals(range.last())));
        }
        m.put("months", options);
        String query = "?to=" + range.last();
        m.put("csvUnits", "/units/" + unit.id() + "/reports.csv" + query + "&view=units");
        m.put("csvMeetings", "/units/" + unit.id() + "/reports.csv" + query + "&view=meetings");
        m.put("csvMembers", "/units/" + unit.id() + "/reports.csv" + query + "&view=members");
        m.put("period", pages.text(lang, "report_period", monthLabel(range.first(), lang), monthLabel(range.last(), lang)));
        if (s.units().all().stream().anyMatch(u -> u.parentId() != null && u.parentId() == unit.id())) {
            m.put("rollupUrl", "/units/" + unit.id() + "/rollup?period=" + range.last());
        }
        pages.render(ctx, "report", m);
    }

    /** A month as the roll-up names it: "Tháng 11/2026", "November 2026". */
    private String monthLabel(YearMonth ym, String lang) {
        return monthLabel(pages, ym, lang);
    }

    static String monthLabel(Pages pages, YearMonth ym, String lang) {
        String month = lang.equals("vi") ? String.valueOf(ym.getMonthValue())
                : ym.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
        return pages.text(lang, "rollup_month_label", month, ym.getYear());
    }
}
