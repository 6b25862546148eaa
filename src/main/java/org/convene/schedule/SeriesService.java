package org.convene.schedule;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.convene.meeting.ConveneException;
import org.convene.meeting.ConveneException.FieldError;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Requests.MeetingRequest;
import org.convene.meeting.SeriesLink;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recurring meetings. A series makes each of its occurrences a full meeting, through the meeting
 * service, some weeks ahead (so every occurrence has its own reminders and replies); making is
 * idempotent, one meeting per series and rule date. A change from a date on re-makes the occurrences
 * from then on that nobody changed by hand; ending a series cancels what it had made after its end.
 */
public final class SeriesService {
    private static final Logger log = LoggerFactory.getLogger(SeriesService.class);
    private static final int DEFAULT_DURATION = 120;
    private static final int MAX_PREVIEW = 200;

    private final Jdbi jdbi;
    private final Clock clock;
    private final MeetingService meetings;
    private final PublicHolidays holidays;
    private final int horizonWeeks;

    public SeriesService(Jdbi jdbi, Clock clock, MeetingService meetings, PublicHolidays holidays, int horizonWeeks) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.meetings = meetings;
        this.holidays = holidays;
        this.horizonWeeks = horizonWeeks;
    }

    /** A series and the meetings it has made that have not begun. */
    public record WithUpcoming(Series series, List<Meeting> upcoming) {}

    public WithUpcoming create(String actor, SeriesRequest r) {
        Checked c = checked(r);
        long id = jdbi.inTransaction(h -> {
            Instant now = clock.instant();
            requireSeriesQuota(h, c.unit());
            long seriesId = new SeriesDao(h).insert(c.unit().id(), c.unit().timezone(), now);
            new SeriesDao(h).replaceFrom(seriesId, c.startDate(), c.definition(), now);
            AuditLog.record(h, now, actor, "series.created", "series", seriesId, c.definition().title() + " " + c.definition().rrule());
            materialise(h, find(h, seriesId));
            return seriesId;
        });
        return get(id);
    }

    /** Checks a new series as {@link #create} would, storing nothing: every problem at once, as a 422. */
    public void check(SeriesRequest r) {
        checked(r);
    }

    private record Checked(Unit unit, LocalDate startDate, SeriesDefinition definition) {}

    /** 422 once the unit has {@code activeSeries} series that have not ended: each makes weeks of meetings and reminders. */
    private void requireSeriesQuota(org.jdbi.v3.core.Handle h, Unit unit) {
        int limit = meetings.quotas().activeSeries();
        String today = clock.instant().atZone(unit.zone()).toLocalDate().toString();
        int active = h.createQuery("SELECT COUNT(*) FROM series WHERE unit_id = :unit AND (until_date IS NULL OR until_date >= :today)")
                .bind("unit", unit.id()).bind("today", today).mapTo(Integer.class).one();
        if (active >= limit) {
            throw new ConveneException.Invalid("unitId", "unit " + unit.id() + " has " + active + " series running, the limit"
                    + " (limits.activeSeries = " + limit + "); end one first");
        }
    }

    private Checked checked(SeriesRequest r) {
        if (r.unitId() == null) throw new ConveneException.Invalid("unitId", "is required");
        Unit unit = jdbi.withExtension(UnitDao.class, d -> d.find(r.unitId())).orElseThrow(() -> new ConveneException.NotFound("unit", r.unitId()));
        if (r.from() != null) throw new ConveneException.Invalid("from", "is for changing a series; a new one begins on startDate");
        List<FieldError> errors = new ArrayList<>();
        LocalDate startDate = date(r.startDate(), "startDate", errors);
        if (r.startDate() == null) errors.add(new FieldError("startDate", "is required, e.g. 2027-01-01"));
        LocalTime startTime = time(r.startTime(), errors);
        if (r.startTime() == null) errors.add(new FieldError("startTime", "is required, e.g. 19:30"));
        String policy = policy(r.holidayPolicy(), errors);
        recurrence(r.rrule(), r.lunarDay(), errors);
        SeriesDefinition definition = new SeriesDefinition(r.title() == null ? null : r.title().strip(), r.kind() == null ? "regular" : r.kind(),
                normalRule(r.rrule()), r.lunarDay(), startDate, startTime,
                r.durationMinutes() == null ? DEFAULT_DURATION : r.durationMinutes(), policy, r.reminders(), r.agenda(), r.location());
        jdbi.useHandle(h -> checkTemplate(h, unit, definition, errors));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        return new Checked(unit, startDate, definition);
    }

    /**
     * A meeting's place in its series: the series, the rule's date the meeting stands for, and whether it
     * was changed by hand (the series then leaves it alone).
     */
    public record Membership(Series series, LocalDate occurrenceDate, boolean exception) {
        /** What the series makes on this meeting's day. */
        public SeriesDefinition definition() {
            return series.at(occurrenceDate).definition();
        }
    }

    /** The series that made a meeting, or empty for a one-off meeting. */
    public Optional<Membership> ofMeeting(long meetingId) {
        return jdbi.withHandle(h -> new SeriesDao(h).ofMeeting(meetingId));
    }

    public WithUpcoming get(long id) {
        return jdbi.withHandle(h -> {
            Series series = find(h, id);
            return new WithUpcoming(series, upcoming(h, series));
        });
    }

    /**
     * Changes the series from {@code from} (default today) on: the fields given replace those in force
     * then. Occurrences from that date that nobody changed by hand and that have not begun are re-made:
     * changed in place when the new rule still meets that day (so replies and reminders already sent
     * stay with them), cancelled when it no longer does; new days get new meetings. Earlier ones stay.
     */
    public WithUpcoming change(String actor, long id, SeriesRequest r) {
        if (r.unitId() != null) throw new ConveneException.Invalid("unitId", "a series cannot move to another unit");
        List<FieldError> errors = new ArrayList<>();
        Instant now = clock.instant();
        long result = jdbi.inTransaction(h -> {
            Series series = find(h, id);
            ZoneId zone = series.zoneId();
            LocalDate today = now.atZone(zone).toLocalDate();
            LocalDate from = r.from() == null ? today : date(r.from(), "from", errors);
            if (from != null && from.isBefore(today)) errors.add(new FieldError("from", "is in the past; meetings already held are not changed"));
            if (from != null && series.until() != null && from.isAfter(series.until())) {
                throw new ConveneException.Conflict("series " + id + " ended on " + series.until());
            }
            SeriesDefinition base = series.at(from == null ? today : from).definition();
            LocalDate startDate = r.startDate() == null ? null : date(r.startDate(), "startDate", errors);
            LocalTime startTime = r.startTime() == null ? base.startTime() : time(r.startTime(), errors);
            String policy = r.holidayPolicy() == null ? base.holidayPolicy() : policy(r.holidayPolicy(), errors);
            boolean newRule = r.rrule() != null || r.lunarDay() != null || startDate != null;
            String rrule = r.rrule() != null ? normalRule(r.rrule()) : r.lunarDay() != null && base.lunarDay() == null ? null : base.rrule();
            Integer lunarDay = r.lunarDay() != null ? r.lunarDay() : r.rrule() != null ? null : base.lunarDay();
            recurrence(rrule, lunarDay, errors);
            // a rule left as it was keeps its anchor, so "every other Tuesday" keeps its weeks and COUNT its tally
            LocalDate anchor = !newRule ? base.anchorDate() : startDate != null ? startDate : from;
            if (startDate != null && from != null && startDate.isBefore(from)) errors.add(new FieldError("startDate", "is before from"));
            SeriesDefinition definition = new SeriesDefinition(r.title() == null ? base.title() : r.title().strip(),
                    r.kind() == null ? base.kind() : r.kind(), rrule, lunarDay, anchor, startTime,
                    r.durationMinutes() == null ? base.durationMinutes() : r.durationMinutes(), policy,
                    r.reminders() == null ? base.reminders() : r.reminders(), r.agenda() == null ? base.agenda() : r.agenda(),
                    r.location() == null ? base.location() : r.location());
            Unit unit = h.attach(UnitDao.class).find(series.unitId()).orElseThrow();
            checkTemplate(h, unit, definition, errors);
            if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
            SeriesDao dao = new SeriesDao(h);
            dao.replaceFrom(id, from, definition, now);
            dao.touch(id, now);
            AuditLog.record(h, now, actor, "series.changed", "series", id, "from " + from);
            Series changed = find(h, id);
            remake(h, actor, changed, from, base, definition, r.reminders() != null, unit.locale());
            materialise(h, changed);
            return id;
        });
        return get(result);
    }

    /** Ends the series after {@code until}: it makes nothing later, and what it had made later is cancelled. */
    public WithUpcoming end(String actor, long id, String untilText) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate until = date(untilText, "until", errors);
        if (untilText == null) errors.add(new FieldError("until", "is required, the last day the series may meet, e.g. 2027-06-30"));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        jdbi.useTransaction(h -> {
            Series series = find(h, id);
            Instant now = clock.instant();
            new SeriesDao(h).end(id, until, now);
            String locale = h.attach(UnitDao.class).find(series.unitId()).map(Unit::locale).orElse("vi");
            for (SeriesDao.Made m : new SeriesDao(h).made(id)) {
                if (!Meeting.SCHEDULED.equals(m.status()) || !m.startsAt().isAfter(now)) continue;
                if (m.startsAt().atZone(series.zoneId()).toLocalDate().isAfter(until)) {
                    meetings.cancel(h, actor, m.meetingId(), "vi".equals(locale) ? "Lịch họp định kỳ đã kết thúc" : "The recurring meeting has ended");
                }
            }
            AuditLog.record(h, now, actor, "series.ended", "series", id, "until " + until);
        });
        return get(id);
    }

    /** Makes the meetings every series owes within the horizon; what the daily job runs. Returns how many it made. */
    public int materialiseDue() {
        List<Long> ids = jdbi.withHandle(h -> new SeriesDao(h).activeIds(clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().minusDays(1)));
        int made = 0;
        for (long id : ids) {
            try {
                made += jdbi.inTransaction(h -> materialise(h, find(h, id)));
            } catch (RuntimeException e) {
                // one broken series must not stop the others; the next run tries it again
                log.error("making the meetings of series={} failed", id, e);
            }
        }
        if (made > 0) log.info("series made {} meetings", made);
        return made;
    }

    /** The instants a rule gives from {@code start} on, holiday policy applied, storing nothing. */
    public List<ZonedDateTime> preview(String rrule, Integer lunarDay, String start, String zoneText, Integer count, String policyText,
                                       String country) {
        return previewOf(rrule, lunarDay, start, zoneText, count, policyText, country).occurrences();
    }

    /**
     * A preview: the occurrences asked for, or those there are and, in {@code fewerBecause}, why there are
     * fewer (the rule ends, the lunar calendar's range, or none within {@value #PREVIEW_YEARS} years).
     */
    public record Preview(List<ZonedDateTime> occurrences, int requested, String fewerBecause) {}

    /**
     * Four centuries: the Gregorian calendar repeats itself after them, so a rule that gives no date within
     * them gives none after them either (29 February every year is 97 dates in 400 years, not 13 in 50).
     */
    static final int PREVIEW_YEARS = 400;

    /** {@link #preview}, saying why when there are fewer occurrences than asked for. */
    public Preview previewOf(String rrule, Integer lunarDay, String start, String zoneText, Integer count, String policyText,
                             String country) {
        List<FieldError> errors = new ArrayList<>();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(zoneText == null || zoneText.isBlank() ? "Asia/Ho_Chi_Minh" : zoneText.strip());
        } catch (DateTimeException e) {
            errors.add(new FieldError("zone", "is not a time zone: " + zoneText));
        }
        ZonedDateTime first = null;
        if (start == null || start.isBlank()) {
            errors.add(new FieldError("start", "is required, e.g. 2027-01-01T19:30"));
        } else if (zone != null) {
            first = startOf(start.strip(), zone);
            if (first == null) errors.add(new FieldError("start", "is not an ISO-8601 date or date-time, e.g. 2027-01-01T19:30"));
        }
        int n = count == null ? 10 : count;
        if (n < 1 || n > MAX_PREVIEW) errors.add(new FieldError("count", "must be between 1 and " + MAX_PREVIEW));
        String policy = policy(policyText, errors);
        Recurrence rule = recurrence(rrule, lunarDay, errors);
        String c = country == null || country.isBlank() ? holidays.defaultCountry() : PublicHolidays.normalCountry(country);
        if (!PublicHolidays.COUNTRIES.contains(c)) errors.add(new FieldError("country", "is not a country with a holiday calendar; known: VN"));
        if (!errors.isEmpty()) throw new ConveneException.Invalid(errors);
        List<ZonedDateTime> instants = new ArrayList<>();
        LocalDate from = first.toLocalDate();
        Predicate<LocalDate> isHoliday = d -> holidays.isHoliday(c, d);
        boolean lunar = rule instanceof Recurrence.LunarDay;
        LocalDate horizon = from.plusYears(PREVIEW_YEARS).minusDays(1);
        if (lunar && horizon.isAfter(VietnameseLunarCalendar.LAST)) horizon = VietnameseLunarCalendar.LAST;
        // windows of one year, then doubling: a daily rule is not expanded for decades to find ten dates, and a
        // rare one (29 February) is not asked four hundred times
        LocalDate windowStart = from;
        int years = 1;
        while (instants.size() < n && !windowStart.isAfter(horizon)) {
            LocalDate windowEnd = windowStart.plusYears(years).minusDays(1);
            if (windowEnd.isAfter(horizon)) windowEnd = horizon;
            for (Occurrence o : Occurrence.between(rule, from, windowStart, windowEnd, HolidayPolicy.parse(policy).orElseThrow(), isHoliday)) {
                if (instants.size() == n) break;
                instants.add(ZonedDateTime.of(o.date(), first.toLocalTime(), zone));
            }
            windowStart = windowEnd.plusDays(1);
            years = Math.min(years * 2, 64);
        }
        if (instants.size() == n) return new Preview(instants, n, null);
        String why = ends(rule) ? "the rule ends (its COUNT or UNTIL) after these " + instants.size() + " occurrences"
                : lunar ? "the Vietnamese lunar calendar is computed up to " + VietnameseLunarCalendar.LAST + "; these are the occurrences until then"
                : "the rule gives no more dates within " + PREVIEW_YEARS + " years of the start (after which the calendar repeats)";
        return new Preview(instants, n, why);
    }

    private static boolean ends(Recurrence rule) {
        return switch (rule) {
            case Recurrence.Rule r -> r.recur().getCount() > 0 || r.recur().getUntil() != null;
            case Recurrence.LunarDay l -> l.count() != null || l.until() != null;
        };
    }

    /** Makes, inside {@code h}, the meetings {@code series} owes from today to the horizon; idempotent. */
    private int materialise(Handle h, Series series) {
        Instant now = clock.instant();
        ZoneId zone = series.zoneId();
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate horizon = today.plusWeeks(horizonWeeks);
        LocalDate last = series.until() != null && series.until().isBefore(horizon) ? series.until() : horizon;
        Set<LocalDate> made = new HashSet<>();
        new SeriesDao(h).made(series.id()).forEach(m -> made.add(m.occurrenceDate()));
        int count = 0;
        for (Series.Segment segment : series.segments()) {
            LocalDate segmentEnd = series.lastDayOf(segment);
            LocalDate from = segment.from().isAfter(today) ? segment.from() : today;
            LocalDate to = segmentEnd != null && segmentEnd.isBefore(last) ? segmentEnd : last;
            if (to.isBefore(from)) continue;
            for (Occurrence o : occurrences(segment.definition(), from, to)) {
                if (made.contains(o.ruleDate()) || (series.until() != null && o.date().isAfter(series.until()))) continue;
                ZonedDateTime start = ZonedDateTime.of(o.date(), segment.definition().startTime(), zone);
                if (!start.toInstant().isAfter(now)) continue;
                meetings.create(h, "series:" + series.id(), meetingRequest(series.unitId(), segment.definition(), start),
                        new SeriesLink(series.id(), o.ruleDate()));
                made.add(o.ruleDate());
                count++;
            }
        }
        return count;
    }

    /** Brings the untouched occurrences from {@code from} on in line with the series' new rule and template. */
    private void remake(Handle h, String actor, Series series, LocalDate from, SeriesDefinition before, SeriesDefinition after,
                        boolean remindersChanged, String locale) {
        Instant now = clock.instant();
        ZoneId zone = series.zoneId();
        LocalDate today = now.atZone(zone).toLocalDate();
        LocalDate last = today.plusWeeks(horizonWeeks).plusYears(1);
        Map<LocalDate, Occurrence> wanted = new HashMap<>();
        for (Occurrence o : occurrences(after, from, last)) wanted.put(o.ruleDate(), o);
        for (SeriesDao.Made m : new SeriesDao(h).made(series.id())) {
            if (m.occurrenceDate().isBefore(from) || m.exception() || !Meeting.SCHEDULED.equals(m.status()) || !m.startsAt().isAfter(now)) continue;
            Occurrence o = wanted.get(m.occurrenceDate());
            if (o == null) {
                meetings.cancel(h, actor, m.meetingId(), "vi".equals(locale) ? "Lịch họp định kỳ đã thay đổi" : "The recurring meeting has changed");
                continue;
            }
            ZonedDateTime start = ZonedDateTime.of(o.date(), after.startTime(), zone);
            // one about to begin is left as it is: moving it into the past would help nobody
            if (!start.toInstant().isAfter(now)) continue;
            Meeting current = new MeetingDao(h).find(m.meetingId()).orElseThrow();
            MeetingRequest change = new MeetingRequest(null,
                    Objects.equals(current.title(), after.title()) ? null : after.title(),
                    Objects.equals(current.kind().wire(), after.kind()) ? null : after.kind(),
                    current.startsAt().equals(start.toInstant()) ? null : start.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                    current.durationMinutes() == after.durationMinutes() ? null : after.durationMinutes(),
                    Objects.equals(current.location(), blankToNull(after.location())) ? null : after.location() == null ? "" : after.location(),
                    current.agenda().equals(after.agenda()) ? null : after.agenda(),
                    remindersChanged ? after.reminders() : null, null);
            if (change.equals(new MeetingRequest(null, null, null, null, null, null, null, null, null))) continue;
            meetings.change(h, actor, m.meetingId(), change, false);
        }
    }

    private List<Occurrence> occurrences(SeriesDefinition d, LocalDate from, LocalDate to) {
        String country = holidays.defaultCountry();
        return Occurrence.between(d.recurrence(), d.anchorDate(), from, to, d.policy(), date -> holidays.isHoliday(country, date));
    }

    private List<Meeting> upcoming(Handle h, Series series) {
        Instant now = clock.instant();
        MeetingDao dao = new MeetingDao(h);
        return new SeriesDao(h).made(series.id()).stream()
                .filter(m -> Meeting.SCHEDULED.equals(m.status()) && m.startsAt().isAfter(now))
                .map(m -> dao.find(m.meetingId()).orElseThrow())
                .sorted(java.util.Comparator.comparing(Meeting::startsAt))
                .toList();
    }

    private static Series find(Handle h, long id) {
        return new SeriesDao(h).find(id).orElseThrow(() -> new ConveneException.NotFound("series", id));
    }

    /** Checks the meeting template the way the meeting service will, before anything is stored. */
    private void checkTemplate(Handle h, Unit unit, SeriesDefinition d, List<FieldError> errors) {
        ZonedDateTime probe = ZonedDateTime.now(clock).withZoneSameInstant(unit.zone()).plusYears(1);
        try {
            meetings.check(h, meetingRequest(unit.id(), d, probe));
        } catch (ConveneException.Invalid e) {
            errors.addAll(e.errors());
        }
    }

    private static MeetingRequest meetingRequest(long unitId, SeriesDefinition d, ZonedDateTime start) {
        return new MeetingRequest(unitId, d.title(), d.kind(), start.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                d.durationMinutes(), d.location(), d.agenda(), d.reminders(), null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String normalRule(String rrule) {
        if (rrule == null) return null;
        String t = rrule.strip();
        if (t.regionMatches(true, 0, "RRULE:", 0, 6)) t = t.substring(6).strip();
        return t.isEmpty() ? null : t;
    }

    private static Recurrence recurrence(String rrule, Integer lunarDay, List<FieldError> errors) {
        try {
            return Recurrence.parse(rrule, lunarDay);
        } catch (ConveneException.Invalid e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    private static String policy(String text, List<FieldError> errors) {
        if (text == null) return HolidayPolicy.ALLOW.wire();
        if (HolidayPolicy.parse(text).isEmpty()) {
            errors.add(new FieldError("holidayPolicy", "must be one of allow, skip, next-day, previous-day"));
            return null;
        }
        return text;
    }

    private static LocalDate date(String text, String field, List<FieldError> errors) {
        if (text == null) return null;
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "is not an ISO-8601 date, e.g. 2027-01-01"));
            return null;
        }
    }

    private static LocalTime time(String text, List<FieldError> errors) {
        if (text == null) return null;
        try {
            LocalTime t = LocalTime.parse(text.strip());
            if (t.getSecond() != 0 || t.getNano() != 0) throw new DateTimeException("whole minutes");
            return t;
        } catch (DateTimeException e) {
            errors.add(new FieldError("startTime", "is not a local time of day HH:MM, e.g. 19:30"));
            return null;
        }
    }

    /** A date-time with or without offset (read in {@code zone}), or a date (at midnight); null when unreadable. */
    private static ZonedDateTime startOf(String text, ZoneId zone) {
        if (text.length() == 10) {
            try {
                return LocalDate.parse(text).atStartOfDay(zone);
            } catch (DateTimeException e) {
                return null;
            }
        }
        Instant instant = MeetingService.parseInstant(text, zone);
        return instant == null ? null : instant.atZone(zone);
    }
}
