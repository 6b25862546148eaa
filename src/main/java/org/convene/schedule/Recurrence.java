package org.convene.schedule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;
import org.convene.meeting.ConveneException;

/**
 * Which days a series meets, from an anchor day (the rule's DTSTART): an RFC 5545 RRULE expanded by
 * ical4j, or "every Nth lunar month on lunar day D". Days only: the time of day is the series' own,
 * so a rule never carries hours.
 */
public sealed interface Recurrence permits Recurrence.Rule, Recurrence.LunarDay {
    /** The days from {@code from} to {@code to} (both included) the rule gives, counting COUNT from {@code anchor}. */
    List<LocalDate> dates(LocalDate anchor, LocalDate from, LocalDate to);

    /** The rule as stored and shown: the RRULE text (without "RRULE:"), or null for a lunar rule written without one. */
    String rrule();

    /** An RRULE of days, weeks, months or years. */
    record Rule(String rrule, Recur<LocalDate> recur) implements Recurrence {
        @Override
        public List<LocalDate> dates(LocalDate anchor, LocalDate from, LocalDate to) {
            if (to.isBefore(from)) return List.of();
            return recur.getDates(anchor, from.isBefore(anchor) ? anchor : from, to).stream()
                    .filter(d -> !d.isBefore(from) && !d.isAfter(to)).toList();
        }
    }

    /** Day {@code day} of every {@code interval}th lunar month (leap months count as months), from the anchor's month on. */
    record LunarDay(String rrule, int day, int interval, Integer count, LocalDate until) implements Recurrence {
        @Override
        public List<LocalDate> dates(LocalDate anchor, LocalDate from, LocalDate to) {
            List<LocalDate> dates = new ArrayList<>();
            LocalDate last = until != null && until.isBefore(to) ? until : to;
            if (last.isAfter(VietnameseLunarCalendar.LAST.minusDays(60))) last = VietnameseLunarCalendar.LAST.minusDays(60);
            if (anchor.isBefore(VietnameseLunarCalendar.FIRST)) return dates;
            LocalDate monthStart = VietnameseLunarCalendar.monthStartOf(anchor);
            int made = 0;
            for (int month = 0; !monthStart.isAfter(last); month++) {
                int length = VietnameseLunarCalendar.monthLength(monthStart);
                if (month % interval == 0) {
                    // a 29-day month has no 30th: the series meets on its last day instead
                    LocalDate date = monthStart.plusDays(Math.min(day, length) - 1L);
                    if (!date.isBefore(anchor)) {
                        if (count != null && made >= count) break;
                        made++;
                        if (!date.isBefore(from) && !date.isAfter(last)) dates.add(date);
                    }
                }
                monthStart = monthStart.plusDays(length);
            }
            return dates;
        }
    }

    Set<Frequency> DAY_FREQUENCIES = Set.of(Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY);

    /**
     * Reads a series' rule; every problem is a 422 naming {@code rrule} or {@code lunarDay}.
     * With a lunar day the RRULE is optional and may say only FREQ=MONTHLY, INTERVAL, COUNT and UNTIL.
     */
    static Recurrence parse(String rrule, Integer lunarDay) {
        String text = rrule == null ? null : rrule.strip();
        if (text != null && text.regionMatches(true, 0, "RRULE:", 0, 6)) text = text.substring(6).strip();
        if (text != null && text.isEmpty()) text = null;
        if (lunarDay != null) {
            if (lunarDay < 1 || lunarDay > 30) throw new ConveneException.Invalid("lunarDay", "must be between 1 and 30");
            if (text == null) return new LunarDay(null, lunarDay, 1, null, null);
            Recur<LocalDate> recur = read(text);
            if (recur.getFrequency() != Frequency.MONTHLY || !onlyParts(text, Set.of("FREQ", "INTERVAL", "COUNT", "UNTIL"))) {
                throw new ConveneException.Invalid("rrule", "with lunarDay may only be FREQ=MONTHLY with INTERVAL, COUNT and UNTIL");
            }
            LocalDate until = recur.getUntil() == null ? null : LocalDate.from(recur.getUntil());
            return new LunarDay(text, lunarDay, Math.max(1, recur.getInterval()), recur.getCount() > 0 ? recur.getCount() : null, until);
        }
        if (text == null) throw new ConveneException.Invalid("rrule", "is required (an RFC 5545 rule such as FREQ=MONTHLY;BYDAY=1SU), or give lunarDay");
        Recur<LocalDate> recur = read(text);
        if (!DAY_FREQUENCIES.contains(recur.getFrequency())) {
            throw new ConveneException.Invalid("rrule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY; the time of day is startTime");
        }
        if (!onlyParts(text, Set.of("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"))) {
            throw new ConveneException.Invalid("rrule", "may not name hours, minutes or seconds (BYHOUR, BYMINUTE, BYSECOND); the time of day is startTime");
        }
        Rule rule = new Rule(text, recur);
        try {
            // a rule can parse and still fail when expanded (ical4j checks some values only then)
            LocalDate probe = LocalDate.of(2026, 1, 1);
            rule.dates(probe, probe, probe.plusYears(2));
        } catch (RuntimeException e) {
            throw new ConveneException.Invalid("rrule", "cannot be expanded: " + e.getMessage());
        }
        return rule;
    }

    private static Recur<LocalDate> read(String text) {
        try {
            return new Recur<>(text);
        } catch (RuntimeException e) {
            throw new ConveneException.Invalid("rrule", "is not an RFC 5545 recurrence rule (" + e.getMessage() + "), e.g. FREQ=MONTHLY;BYDAY=1SU");
        }
    }

    private static boolean onlyParts(String text, Set<String> allowed) {
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0 || !allowed.contains(part.substring(0, eq).strip().toUpperCase(Locale.ROOT))) return false;
        }
        return true;
    }
}
