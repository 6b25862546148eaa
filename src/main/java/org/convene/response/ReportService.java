package org.convene.response;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Attendance reports rolled up the unit tree. Only meetings that have begun and were not cancelled
 * count; a meeting whose attendance was not confirmed counts with the statuses pre-filled from the
 * answers, and says so ({@code confirmed: false}).
 */
public final class ReportService {
    private final Jdbi jdbi;
    private final Clock clock;
    private final AttendanceService attendance;
    private final double target;

    public ReportService(Jdbi jdbi, Clock clock, AttendanceService attendance, double target) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.attendance = attendance;
        this.target = target;
    }

    public AttendanceReport attendance(Unit root, Instant from, Instant to) {
        Instant now = clock.instant();
        List<Long> subtree = jdbi.withExtension(UnitDao.class, d -> d.subtreeIds(root.id()));
        Map<Long, Unit> units = new LinkedHashMap<>();
        jdbi.useExtension(UnitDao.class, d -> subtree.forEach(id -> d.find(id).ifPresent(u -> units.put(id, u))));
        List<Meeting> meetings = jdbi.withHandle(h -> new MeetingDao(h).list(subtree, from, to)).stream()
                .filter(m -> !m.cancelled() && !m.startsAt().isAfter(now)).toList();

        List<AttendanceReport.MeetingRow> meetingRows = new ArrayList<>();
        List<AttendanceReport.MemberRow> memberRows = new ArrayList<>();
        Map<Long, Map<String, AttendanceReport.Counts>> ownByPeriod = new HashMap<>();
        Map<Long, Map<String, Integer>> ownMeetings = new HashMap<>();
        Set<String> periods = new LinkedHashSet<>(periods(from, to, root.zone()));
        for (Meeting m : meetings) {
            Unit unit = units.get(m.unitId());
            List<AttendanceService.Row> rows = attendance.get(m.id());
            Map<Long, ResponseLedger.MemberAnswer> answers = new HashMap<>();
            attendance.ledger().responses(m.id()).members().forEach(a -> answers.put(a.memberId(), a));
            int present = 0, excused = 0, absent = 0;
            boolean confirmed = !rows.isEmpty() && rows.stream().allMatch(AttendanceService.Row::confirmed);
            String startsAt = m.localStart().toOffsetDateTime().toString();
            for (AttendanceService.Row r : rows) {
                switch (r.status()) {
                    case "present" -> present++;
                    case "excused" -> excused++;
                    default -> absent++;
                }
                ResponseLedger.MemberAnswer a = answers.get(r.memberId());
                memberRows.add(new AttendanceReport.MemberRow(m.id(), startsAt, unit.id(), unit.name(), r.memberId(), r.name(), r.status(),
                        r.confirmed(), a == null ? null : a.rsvp(), a == null ? null : a.reasonCode(), a == null ? null : a.reason()));
            }
            AttendanceReport.Counts counts = new AttendanceReport.Counts(rows.size(), present, excused, absent);
            meetingRows.add(new AttendanceReport.MeetingRow(m.id(), unit.id(), unit.name(), m.title(), m.kind().wire(), startsAt,
                    counts.invited(), present, excused, absent, counts.rate(), counts.rateExcludingExcused(), below(counts), confirmed));
            ZonedDateTime local = m.localStart();
            for (String period : List.of(YearMonth.from(local).toString(), quarter(local.toLocalDate()))) {
                periods.add(period);
                ownByPeriod.computeIfAbsent(unit.id(), k -> new HashMap<>()).merge(period, counts, AttendanceReport.Counts::plus);
                ownMeetings.computeIfAbsent(unit.id(), k -> new HashMap<>()).merge(period, 1, Integer::sum);
            }
        }

        List<AttendanceReport.UnitRow> unitRows = new ArrayList<>();
        for (Unit unit : units.values()) {
            List<Long> below = jdbi.withExtension(UnitDao.class, d -> d.subtreeIds(unit.id()));
            for (String period : periods) {
                AttendanceReport.Counts sum = AttendanceReport.Counts.ZERO;
                int count = 0;
                for (long u : below) {
                    sum = sum.plus(ownByPeriod.getOrDefault(u, Map.of()).getOrDefault(period, AttendanceReport.Counts.ZERO));
                    count += ownMeetings.getOrDefault(u, Map.of()).getOrDefault(period, 0);
                }
                unitRows.add(new AttendanceReport.UnitRow(unit.id(), unit.name(), unit.parentId(), period, count, sum.invited(), sum.present(),
                        sum.excused(), sum.absent(), sum.rate(), sum.rateExcludingExcused(), below(sum), count == 0));
            }
        }
        // the units that need attention first: below target, then no meeting, then by name
        unitRows.sort(Comparator.comparing((AttendanceReport.UnitRow r) -> r.period())
                .thenComparing(r -> !r.belowTarget()).thenComparing(r -> !r.noMeeting()).thenComparing(AttendanceReport.UnitRow::name));
        return new AttendanceReport(root.id(), from, to, target, meetingRows, memberRows, unitRows);
    }

    private boolean below(AttendanceReport.Counts c) {
        return c.rate() != null && c.rate() < target;
    }

    static String quarter(LocalDate date) {
        return date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
    }

    /** Every month and quarter the range touches, so a unit with no meeting in one still gets its row. */
    private static List<String> periods(Instant from, Instant to, ZoneId zone) {
        List<String> out = new ArrayList<>();
        YearMonth first = YearMonth.from(from.atZone(zone));
        YearMonth last = YearMonth.from(to.minusMillis(1).atZone(zone));
        for (YearMonth ym = first; !ym.isAfter(last) && out.size() < 240; ym = ym.plusMonths(1)) {
            out.add(ym.toString());
            String q = quarter(ym.atDay(1));
            if (!out.contains(q)) out.add(q);
        }
        return out;
    }

    /**
     * The report as CSV for spreadsheet programs: UTF-8 with a byte-order mark so Vietnamese names show
     * right in Excel, RFC 4180 quoting. {@code view} is members (default), meetings or units.
     */
    public static String csv(AttendanceReport report, String view) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            switch (view) {
                case "meetings" -> {
                    csv.printRecord("meetingId", "unitId", "unit", "title", "kind", "startsAt", "invited", "present", "excused", "absent",
                            "rate", "rateExcludingExcused", "belowTarget", "confirmed");
                    for (var r : report.meetings()) csv.printRecord(r.meetingId(), r.unitId(), r.unitName(), r.title(), r.kind(), r.startsAt(),
                            r.invited(), r.present(), r.excused(), r.absent(), r.rate(), r.rateExcludingExcused(), r.belowTarget(), r.confirmed());
                }
                case "units" -> {
                    csv.printRecord("unitId", "unit", "parentId", "period", "meetings", "invited", "present", "excused", "absent", "rate",
                            "rateExcludingExcused", "belowTarget", "noMeeting");
                    for (var r : report.units()) csv.printRecord(r.unitId(), r.name(), r.parentId(), r.period(), r.meetings(), r.invited(),
                            r.present(), r.excused(), r.absent(), r.rate(), r.rateExcludingExcused(), r.belowTarget(), r.noMeeting());
                }
                default -> {
                    csv.printRecord("meetingId", "startsAt", "unitId", "unit", "memberId", "name", "status", "confirmed", "rsvp", "reasonCode", "reason");
                    for (var r : report.members()) csv.printRecord(r.meetingId(), r.startsAt(), r.unitId(), r.unitName(), r.memberId(), r.name(),
                            r.status(), r.confirmed(), r.rsvp(), r.reasonCode(), r.reason());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
