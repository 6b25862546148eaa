package org.convene.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.text.Collator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.meeting.Meeting;
import org.convene.meeting.Unit;
import org.convene.response.AttendanceReport;
import org.convene.response.ReportService;

/**
 * A supervisor's roll-up: for a month or a quarter, the unit and each unit right below it (each summing its
 * own subtree), those below the target or without a meeting first, every name leading one level down, to
 * the cells and their meetings. The CSV is the API's {@code GET /api/v1/reports/units} for the same period.
 */
final class RollupPage {
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    private static final int MONTHS_OFFERED = 12;
    private static final int QUARTERS_OFFERED = 6;

    private final ApiServices s;
    private final Pages pages;

    RollupPage(ApiServices services, Pages pages) {
        this.s = services;
        this.pages = pages;
    }

    /** A month ("2026-12") or a quarter ("2026-Q4"), with its first and last day. */
    record Period(String key, LocalDate first, LocalDate last, boolean quarter) {
        static Period month(YearMonth ym) {
            return new Period(ym.toString(), ym.atDay(1), ym.atEndOfMonth(), false);
        }

        static Period quarter(int year, int q) {
            YearMonth first = YearMonth.of(year, (q - 1) * 3 + 1);
            return new Period(year + "-Q" + q, first.atDay(1), first.plusMonths(2).atEndOfMonth(), true);
        }

        static Period quarterOf(YearMonth ym) {
            return quarter(ym.getYear(), (ym.getMonthValue() - 1) / 3 + 1);
        }
    }

    record Row(long unitId, String name, String url, String kind, int meetings, int thematic, int invited, int present, int excused,
               int absent, String rate, String rateExcludingExcused, boolean belowTarget, boolean noMeeting, boolean onTarget, int products,
               int topics) {
        public boolean total() {
            return kind.equals("total");
        }

        public boolean own() {
            return kind.equals("own");
        }
    }

    record Crumb(String name, String url, boolean current) {}

    record Option(String value, String label, boolean selected) {}

    record MeetingLine(String title, String when, String url, String counts, String rate, boolean belowTarget, boolean thematic) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/units/{id}/rollup", this::show);
        cfg.routes.get("/units/{id}/rollup.csv", ctx -> {
            Unit unit = unit(ctx);
            Period period = period(ctx.queryParam("period"), unit.zone());
            AttendanceReport report = report(ctx, unit, period);
            ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"units-" + unit.id() + "-" + period.key() + ".csv\"")
                    .result(ReportService.csv(report, "units"));
        });
    }

    private Unit unit(Context ctx) {
        Unit unit = s.units().get(Pages.id(ctx, "id"));
        Pages.requireUnit(ctx, unit.id());
        return unit;
    }

    /** The period asked for, or this month when none (or one that cannot be read) is given. */
    Period period(String text, ZoneId zone) {
        YearMonth now = YearMonth.from(s.clock().instant().atZone(zone));
        if (text != null) {
            Matcher q = QUARTER.matcher(text.strip());
            if (q.matches()) return Period.quarter(Integer.parseInt(q.group(1)), Integer.parseInt(q.group(2)));
            try {
                return Period.month(YearMonth.parse(text.strip()));
            } catch (DateTimeParseException e) {
                // as if none was chosen
            }
        }
        return Period.month(now);
    }

    /** The same figures as {@code GET /api/v1/reports/units?unitId=&from=&to=} for the period's days. */
    private AttendanceReport report(Context ctx, Unit unit, Period period) {
        ZoneId zone = unit.zone();
        return s.reports().attendance(Pages.viewer(ctx).caller(), unit, period.first().atStartOfDay(zone).toInstant(), period.last().plusDays(1).atStartOfDay(zone).toInstant());
    }

    private void show(Context ctx) {
        Unit unit = unit(ctx);
        SignIn.Viewer viewer = Pages.viewer(ctx);
        String lang = pages.lang(ctx, unit.locale());
        Period thisOne = period(ctx.queryParam("period"), unit.zone());
        AttendanceReport thisReport = report(ctx, unit, thisOne);
        // early in a month nothing below has met yet: opened without a period, the page shows last month's figures
        boolean quiet = ctx.queryParam("period") == null && thisReport.units().stream()
                .anyMatch(r -> r.unitId() == unit.id() && r.period().equals(thisOne.key()) && r.noMeeting());
        Period period = quiet ? Period.month(YearMonth.parse(thisOne.key()).minusMonths(1)) : thisOne;
        AttendanceReport report = quiet ? report(ctx, unit, period) : thisReport;
        String label = label(period, lang);
        Map<String, Object> m = pages.model(ctx, lang, pages.text(lang, "rollup_title") + " · " + unit.name());
        m.put("unit", unit);
        m.put("wide", true);
        m.put("periodLabel", label);
        m.put("periodKey", period.key());
        m.put("targetLabel", pages.text(lang, "report_target", HomePage.percent(report.target())));

        List<AttendanceReport.UnitRow> rows = report.units().stream().filter(r -> r.period().equals(period.key())).toList();
        AttendanceReport.UnitRow total = rows.stream().filter(r -> r.unitId() == unit.id()).findFirst().orElseThrow();
        // what needs attention first: below the target (the worst first), then no meeting, then the others by name
        Collator collator = Collator.getInstance(Locale.forLanguageTag(lang));
        List<AttendanceReport.UnitRow> children = rows.stream().filter(r -> r.parentId() != null && r.parentId() == unit.id())
                .sorted(Comparator.comparing((AttendanceReport.UnitRow r) -> !r.belowTarget())
                        .thenComparing(r -> !r.noMeeting())
                        .thenComparing(r -> r.belowTarget() ? r.rate() : 0.0)
                        .thenComparing(AttendanceReport.UnitRow::name, collator))
                .toList();
        List<Row> table = new ArrayList<>();
        table.add(row(total, "total", null, report.target()));
        for (AttendanceReport.UnitRow c : children) {
            table.add(row(c, "child", viewer.canSee(c.unitId()) ? "/units/" + c.unitId() + "/rollup?period=" + period.key() : null, report.target()));
        }
        ownRow(unit, total, children, report.target(), lang).ifPresent(table::add);
        m.put("rows", table);
        m.put("hasChildren", !children.isEmpty());
        m.put("crumbs", crumbs(unit, viewer, period));

        List<MeetingLine> meetings = report.meetings().stream().filter(r -> r.unitId() == unit.id())
                .map(r -> meetingLine(r, lang)).toList();
        m.put("meetings", meetings);
        m.put("hasMeetings", !meetings.isEmpty());
        m.put("meetingsTitle", pages.text(lang, "rollup_meetings", unit.name()));

        m.put("periods", options(unit.zone(), period, lang));
        m.put("csvUrl", "/units/" + unit.id() + "/rollup.csv?period=" + period.key());
        m.put("reportUrl", "/units/" + unit.id() + "/reports?to=" + period.last().toString().substring(0, 7));
        pages.render(ctx, "rollup", m);
    }

    private Row row(AttendanceReport.UnitRow r, String kind, String url, double target) {
        return new Row(r.unitId(), r.name(), url, kind, r.meetings(), r.thematic(), r.invited(), r.present(), r.excused(), r.absent(),
                HomePage.percent(r.rate()), HomePage.percent(r.rateExcludingExcused()), r.belowTarget(), r.noMeeting(),
                r.rate() != null && r.rate() >= target, r.products(), r.topicsCovered());
    }

    /**
     * The unit's own meetings (a committee meets too): its total less what the units below add up to, so
     * the rows of the table add up to the total. Shown only when there are some.
     */
    private java.util.Optional<Row> ownRow(Unit unit, AttendanceReport.UnitRow total, List<AttendanceReport.UnitRow> children, double target,
                                          String lang) {
        int meetings = total.meetings(), thematic = total.thematic(), invited = total.invited(), present = total.present();
        int excused = total.excused(), absent = total.absent(), products = total.products(), topics = total.topicsCovered();
        for (AttendanceReport.UnitRow c : children) {
            meetings -= c.meetings();
            thematic -= c.thematic();
            invited -= c.invited();
            present -= c.present();
            excused -= c.excused();
            absent -= c.absent();
            products -= c.products();
            topics -= c.topicsCovered();
        }
        if (children.isEmpty() || meetings <= 0) return java.util.Optional.empty();
        AttendanceReport.Counts own = new AttendanceReport.Counts(invited, present, excused, absent, 0);
        boolean below = own.rate() != null && own.rate() < target;
        return java.util.Optional.of(new Row(unit.id(), pages.text(lang, "rollup_own", unit.name()), null, "own", meetings, thematic, invited,
                present, excused, absent, HomePage.percent(own.rate()), HomePage.percent(own.rateExcludingExcused()), below, false,
                own.rate() != null && !below, products, topics));
    }

    /** From the highest unit above that the viewer reaches down to this one, each leading to its own roll-up. */
    private List<Crumb> crumbs(Unit unit, SignIn.Viewer viewer, Period period) {
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb(unit.name(), "/units/" + unit.id() + "/rollup?period=" + period.key(), true));
        Unit at = unit;
        for (int depth = 0; at.parentId() != null && viewer.canSee(at.parentId()) && depth < 20; depth++) {
            at = s.units().get(at.parentId());
            crumbs.add(0, new Crumb(at.name(), "/units/" + at.id() + "/rollup?period=" + period.key(), false));
        }
        return crumbs;
    }

    private MeetingLine meetingLine(AttendanceReport.MeetingRow r, String lang) {
        Meeting meeting = s.meetings().get(r.meetingId());
        return new MeetingLine(r.title(), Pages.when(meeting, lang), "/meetings/" + r.meetingId() + "/attendance",
                pages.text(lang, "attendance_count", r.present(), r.invited()), HomePage.percent(r.rate()), r.belowTarget(),
                "thematic".equals(r.kind()));
    }

    /** The last twelve months and six quarters, newest first, and the chosen one even when it is older. */
    private List<Map<String, Object>> options(ZoneId zone, Period chosen, String lang) {
        YearMonth now = YearMonth.from(s.clock().instant().atZone(zone));
        List<Option> months = new ArrayList<>();
        for (int i = 0; i < MONTHS_OFFERED; i++) {
            Period p = Period.month(now.minusMonths(i));
            months.add(new Option(p.key(), label(p, lang), p.key().equals(chosen.key())));
        }
        List<Option> quarters = new ArrayList<>();
        for (int i = 0; i < QUARTERS_OFFERED; i++) {
            Period p = Period.quarterOf(now.minusMonths(3L * i));
            quarters.add(new Option(p.key(), label(p, lang), p.key().equals(chosen.key())));
        }
        boolean offered = months.stream().anyMatch(Option::selected) || quarters.stream().anyMatch(Option::selected);
        if (!offered) (chosen.quarter() ? quarters : months).add(new Option(chosen.key(), label(chosen, lang), true));
        return List.of(Map.of("label", pages.text(lang, "rollup_months"), "options", months),
                Map.of("label", pages.text(lang, "rollup_quarters"), "options", quarters));
    }

    /** "Tháng 12/2026", "Quý IV/2026"; "December 2026", "Q4 2026". */
    String label(Period p, String lang) {
        YearMonth first = YearMonth.from(p.first());
        if (p.quarter()) {
            int q = (first.getMonthValue() - 1) / 3 + 1;
            return pages.text(lang, "rollup_quarter_label", lang.equals("vi") ? List.of("I", "II", "III", "IV").get(q - 1) : q, first.getYear());
        }
        return ReportPage.monthLabel(pages, first, lang);
    }
}
