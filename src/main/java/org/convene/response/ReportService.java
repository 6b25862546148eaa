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
import org.convene.meeting.Invitees;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.convene.meeting.UnitTree;
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
        return attendance(org.convene.meeting.Caller.admin("system"), root, from, to);
    }

    /**
     * The report as {@code caller} may read it: the units below {@code root} count only where the caller
     * supervises them. A secretary's reach is its own unit: a parent unit's secretary does not read the
     * child units' members, their reasons for absence, nor their sums.
     */
    public AttendanceReport attendance(org.convene.meeting.Caller caller, Unit root, Instant from, Instant to) {
        caller.requireReach(root.id(), "unitId");
        Instant now = clock.instant();
        // a unit below counts only where the caller supervises it (a supervisor of the root, everything below it)
        java.util.function.LongPredicate visible = u -> u == root.id() || caller.supervises(root.id()) || caller.supervises(u);
        List<Long> subtree = jdbi.withExtension(UnitDao.class, d -> d.subtreeIds(root.id())).stream().filter(visible::test).toList();
        // the tree of each meeting's own day: a unit moved elsewhere still counts for its old parent before the move
        UnitTree tree = jdbi.withHandle(UnitTree::load);
        java.util.Set<Long> everBelow = new LinkedHashSet<>(subtree);
        tree.everBelow(root.id(), from.atZone(root.zone()).toLocalDate(), to.minusMillis(1).atZone(root.zone()).toLocalDate()).stream()
                .filter(visible::test).forEach(everBelow::add);
        Map<Long, Unit> named = new LinkedHashMap<>();
        jdbi.useExtension(UnitDao.class, d -> everBelow.forEach(id -> d.find(id).ifPresent(u -> named.put(id, u))));
        List<Meeting> meetings = jdbi.withHandle(h -> new MeetingDao(h).list(List.copyOf(everBelow), from, to)).stream()
                .filter(m -> !m.cancelled() && !m.startsAt().isAfter(now))
                .filter(m -> tree.upOn(m.unitId(), m.localStart().toLocalDate()).contains(root.id())).toList();

        List<AttendanceReport.MeetingRow> meetingRows = new ArrayList<>();
        List<AttendanceReport.MemberRow> memberRows = new ArrayList<>();
        Map<Long, Map<String, AttendanceReport.Counts>> ownByPeriod = new HashMap<>();
        Map<Long, Map<String, AttendanceReport.Extras>> ownExtras = new HashMap<>();
        Set<String> periods = new LinkedHashSet<>(periods(from, to, root.zone()));
        for (Meeting m : meetings) {
            Unit unit = named.get(m.unitId());
            List<AttendanceService.Row> rows = attendance.get(m.id());
            int exempt = (int) jdbi.withHandle(h -> Invitees.of(h, m, now)).stream().filter(i -> !i.counted()).count();
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
            AttendanceReport.Counts counts = new AttendanceReport.Counts(rows.size(), present, excused, absent, exempt);
            meetingRows.add(new AttendanceReport.MeetingRow(m.id(), unit.id(), unit.name(), m.title(), m.kind().wire(), startsAt,
                    counts.invited(), present, excused, absent, counts.rate(), counts.rateExcludingExcused(), below(counts), confirmed, exempt));
            AttendanceReport.Extras extras = extras(m, answers.values());
            ZonedDateTime local = m.localStart();
            // the meeting counts for its unit and each unit above it on its day, up to the report's root
            List<Long> up = tree.upOn(unit.id(), local.toLocalDate());
            for (long counted : up.subList(0, up.indexOf(root.id()) + 1)) {
                for (String period : List.of(YearMonth.from(local).toString(), quarter(local.toLocalDate()))) {
                    periods.add(period);
                    ownByPeriod.computeIfAbsent(counted, k -> new HashMap<>()).merge(period, counts, AttendanceReport.Counts::plus);
                    ownExtras.computeIfAbsent(counted, k -> new HashMap<>()).merge(period, extras, AttendanceReport.Extras::plus);
                }
            }
        }

        List<AttendanceReport.UnitRow> unitRows = new ArrayList<>();
        LocalDate first = from.atZone(root.zone()).toLocalDate();
        LocalDate last = to.minusMillis(1).atZone(root.zone()).toLocalDate();
        for (Unit unit : named.values()) {
            // a merged unit's meetings went with it into the other unit: it has no figures of its own left
            if (unit.merged() && unit.id() != root.id()) continue;
            for (String period : periods) {
                // a unit has a row for the periods it spent below the root, under the parent it had there: a cell
                // moved away stays in its old parent's past periods and is not in them after the move, nor in its
                // new parent's before it
                LocalDate[] days = days(period);
                LocalDate lastBelow = tree.lastDayBelow(unit.id(), root.id(), days[0].isBefore(first) ? first : days[0],
                        days[1].isAfter(last) ? last : days[1]);
                if (lastBelow == null) continue;
                Long parentId = unit.id() == root.id() ? unit.parentId() : tree.parentOn(unit.id(), lastBelow);
                AttendanceReport.Counts sum = ownByPeriod.getOrDefault(unit.id(), Map.of()).getOrDefault(period, AttendanceReport.Counts.ZERO);
                AttendanceReport.Extras more = ownExtras.getOrDefault(unit.id(), Map.of()).getOrDefault(period, AttendanceReport.Extras.ZERO);
                unitRows.add(new AttendanceReport.UnitRow(unit.id(), unit.name(), parentId, period, more.meetings(), more.thematic(),
                        sum.invited(), sum.present(), sum.excused(), sum.absent(), sum.rate(), sum.rateExcludingExcused(), below(sum),
                        more.meetings() == 0, more.products(), more.topics(), more.answersBefore(), sum.exempt()));
            }
        }
        // the units that need attention first: below target, then no meeting, then by name
        unitRows.sort(Comparator.comparing((AttendanceReport.UnitRow r) -> r.period())
                .thenComparing(r -> !r.belowTarget()).thenComparing(r -> !r.noMeeting()).thenComparing(AttendanceReport.UnitRow::name));
        return new AttendanceReport(root.id(), from, to, target, meetingRows, memberRows, unitRows);
    }

    private AttendanceReport.Extras extras(Meeting m, java.util.Collection<ResponseLedger.MemberAnswer> answers) {
        int products = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM products WHERE meeting_id = :m").bind("m", m.id()).mapTo(Integer.class).one());
        int topics = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM topic_units WHERE meeting_id = :m").bind("m", m.id()).mapTo(Integer.class).one());
        int before = (int) answers.stream().filter(a -> !a.observer() && a.receivedAt() != null && a.receivedAt().isBefore(m.startsAt())).count();
        return new AttendanceReport.Extras(1, m.kind() == org.convene.meeting.MeetingKind.THEMATIC ? 1 : 0, products, topics, before);
    }

    private boolean below(AttendanceReport.Counts c) {
        return c.rate() != null && c.rate() < target;
    }

    /** One member's year: meetings invited to, how they attended, tasks given and done. */
    public record MemberYear(long memberId, String name, String role, int year, int invited, int present, int excused, int absent,
                             Double rate, int tasksGiven, int tasksDone) {}

    /** The figures a cell needs for its yearly review of members, from meetings held that year. */
    public List<MemberYear> memberYear(Unit unit, int year) {
        ZoneId zone = unit.zone();
        Instant from = LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant();
        Instant to = LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant();
        Instant now = clock.instant();
        List<Meeting> meetings = jdbi.withHandle(h -> new MeetingDao(h).list(List.of(unit.id()), from, to)).stream()
                .filter(m -> !m.cancelled() && !m.startsAt().isAfter(now)).toList();
        Map<Long, int[]> counts = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, String> roles = new HashMap<>();
        jdbi.withHandle(h -> new org.convene.meeting.MemberDao(h).ofUnit(unit.id())).forEach(m -> {
            names.put(m.id(), m.name());
            roles.put(m.id(), m.role().wire());
            counts.put(m.id(), new int[6]);
        });
        for (Meeting m : meetings) {
            for (AttendanceService.Row r : attendance.get(m.id())) {
                int[] c = counts.get(r.memberId());
                if (c == null) continue;
                c[0]++;
                switch (r.status()) {
                    case "present" -> c[1]++;
                    case "excused" -> c[2]++;
                    default -> c[3]++;
                }
            }
        }
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT t.assignee_person_id, COUNT(*), SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END)
                        FROM tasks t JOIN meetings m ON m.id = t.meeting_id
                        WHERE t.unit_id = :u AND t.assignee_person_id IS NOT NULL AND m.starts_at >= :from AND m.starts_at < :to
                        GROUP BY t.assignee_person_id""")
                .bind("u", unit.id()).bind("from", from).bind("to", to)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).list()
                .forEach(t -> {
                    int[] c = counts.get(t[0]);
                    if (c != null) {
                        c[4] = (int) t[1];
                        c[5] = (int) t[2];
                    }
                }));
        List<MemberYear> rows = new ArrayList<>();
        counts.forEach((id, c) -> rows.add(new MemberYear(id, names.get(id), roles.get(id), year, c[0], c[1], c[2], c[3],
                new AttendanceReport.Counts(c[0], c[1], c[2], c[3], 0).rate(), c[4], c[5])));
        return rows;
    }

    public static String memberCsv(List<MemberYear> rows) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            CsvCells.print(csv, "memberId", "name", "role", "year", "invited", "present", "excused", "absent", "rate", "tasksGiven", "tasksDone");
            for (MemberYear r : rows) CsvCells.print(csv, r.memberId(), r.name(), r.role(), r.year(), r.invited(), r.present(), r.excused(),
                    r.absent(), r.rate(), r.tasksGiven(), r.tasksDone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String quarter(LocalDate date) {
        return date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
    }

    /** The first and last day of a period key: 2027-01 or 2027-Q1. */
    private static LocalDate[] days(String period) {
        if (period.contains("-Q")) {
            YearMonth start = YearMonth.of(Integer.parseInt(period.substring(0, 4)), (Integer.parseInt(period.substring(6)) - 1) * 3 + 1);
            return new LocalDate[] {start.atDay(1), start.plusMonths(2).atEndOfMonth()};
        }
        YearMonth month = YearMonth.parse(period);
        return new LocalDate[] {month.atDay(1), month.atEndOfMonth()};
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
                    CsvCells.print(csv, "meetingId", "unitId", "unit", "title", "kind", "startsAt", "invited", "present", "excused", "absent",
                            "rate", "rateExcludingExcused", "belowTarget", "confirmed", "exempt");
                    for (var r : report.meetings()) CsvCells.print(csv, r.meetingId(), r.unitId(), r.unitName(), r.title(), r.kind(), r.startsAt(),
                            r.invited(), r.present(), r.excused(), r.absent(), r.rate(), r.rateExcludingExcused(), r.belowTarget(), r.confirmed(),
                            r.exempt());
                }
                case "units" -> {
                    CsvCells.print(csv, "unitId", "unit", "parentId", "period", "meetings", "thematic", "invited", "present", "excused", "absent", "rate",
                            "rateExcludingExcused", "belowTarget", "noMeeting", "products", "topicsCovered", "answersBefore", "exempt");
                    for (var r : report.units()) CsvCells.print(csv, r.unitId(), r.name(), r.parentId(), r.period(), r.meetings(), r.thematic(), r.invited(),
                            r.present(), r.excused(), r.absent(), r.rate(), r.rateExcludingExcused(), r.belowTarget(), r.noMeeting(),
                            r.products(), r.topicsCovered(), r.answersBefore(), r.exempt());
                }
                default -> {
                    CsvCells.print(csv, "meetingId", "startsAt", "unitId", "unit", "memberId", "name", "status", "confirmed", "rsvp", "reasonCode", "reason");
                    for (var r : report.members()) CsvCells.print(csv, r.meetingId(), r.startsAt(), r.unitId(), r.unitName(), r.memberId(), r.name(),
                            r.status(), r.confirmed(), r.rsvp(), r.reasonCode(), r.reason());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
