package org.convene.schedule;

import com.ibm.icu.util.Calendar;
import com.ibm.icu.util.ChineseCalendar;
import com.ibm.icu.util.SimpleTimeZone;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The Vietnamese lunar calendar: ICU's Chinese calendar with its astronomy done at UTC+7 instead of
 * Beijing's UTC+8. The two differ when a new moon or a solar term falls between 23:00 and midnight
 * Beijing time: Tết 1985 (21 January here, 20 February in China), 2007 and 2027 (one day earlier here).
 * Vietnam has reckoned at UTC+7 since 1967; earlier dates are given at UTC+7 too, as the calendar of
 * the present rule rather than the one then in use. Supported for Gregorian 1900–2100.
 */
public final class VietnameseLunarCalendar {
    /** Gregorian 1900–2100, with the rest of lunar year 2100 (it ends in 2101). */
    public static final LocalDate FIRST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LAST = LocalDate.of(2101, 12, 31);
    /** Julian day number of 1970-01-01, the epoch of {@link LocalDate#toEpochDay()}. */
    private static final long EPOCH_JULIAN_DAY = 2_440_588L;

    /**
     * Uses the constructor ICU's own Korean calendar (DangiCalendar) uses to move the astronomy to
     * another meridian; it is marked internal, so the tests pin the results against known tables.
     */
    @SuppressWarnings("deprecation")
    private static final class UtcPlus7 extends ChineseCalendar {
        private static final TimeZone VIETNAM = new SimpleTimeZone(7 * 3_600_000, "UTC+07:00");

        UtcPlus7() {
            super(TimeZone.GMT_ZONE, ULocale.ROOT, VIETNAM);
        }
    }

    /**
     * ICU calendars are mutable and not thread-safe, and each keeps its own cache of new moons and
     * solstices: one per thread keeps both the safety and the cache.
     */
    private static final ThreadLocal<ChineseCalendar> CALENDAR = ThreadLocal.withInitial(UtcPlus7::new);

    private VietnameseLunarCalendar() {}

    public static boolean supports(LocalDate date) {
        return !date.isBefore(FIRST) && !date.isAfter(LAST);
    }

    public static LunarDate toLunar(LocalDate date) {
        requireSupported(date);
        ChineseCalendar c = at(date);
        return new LunarDate(c.get(Calendar.EXTENDED_YEAR), c.get(Calendar.MONTH) + 1, c.get(ChineseCalendar.IS_LEAP_MONTH) == 1,
                c.get(Calendar.DAY_OF_MONTH));
    }

    /** The Gregorian date of a lunar day; empty when that month has no such day (a 29-day month's 30th, a leap month that year lacks). */
    public static Optional<LocalDate> toSolar(LunarDate lunar) {
        LocalDate monthStart = monthStart(lunar.year(), lunar.month(), lunar.leap()).orElse(null);
        if (monthStart == null || lunar.day() > monthLength(monthStart)) return Optional.empty();
        return Optional.of(monthStart.plusDays(lunar.day() - 1L));
    }

    /** Mùng 1 Tết: the first day of the lunar year that begins in Gregorian {@code year}. */
    public static LocalDate newYear(int year) {
        return monthStart(year, 1, false).orElseThrow();
    }

    /** The first day of the lunar month that contains {@code date}. */
    public static LocalDate monthStartOf(LocalDate date) {
        return date.minusDays(toLunar(date).day() - 1L);
    }

    /** 29 or 30: the length of the lunar month beginning on {@code monthStart}. */
    public static int monthLength(LocalDate monthStart) {
        return toLunar(monthStart.plusDays(29)).day() == 30 ? 30 : 29;
    }

    private static Optional<LocalDate> monthStart(int year, int month, boolean leap) {
        // Land in the lunar year through a day safely inside it (Tết falls 21 January – 20 February),
        // then walk its months: setting ICU's month fields directly is ambiguous around leap months.
        if (year < 1900 || year > 2100) throw new IllegalArgumentException("lunar years are supported from 1900 to 2100: " + year);
        LocalDate probe = LocalDate.of(year, 3, 1);
        LocalDate start = monthStartOf(probe);
        while (toLunar(start).month() != 1 || toLunar(start).leap()) start = monthStartOf(start.minusDays(1));
        for (int i = 0; i < 13; i++) {
            LunarDate d = toLunar(start);
            if (d.year() != year) break;
            if (d.month() == month && d.leap() == leap) return Optional.of(start);
            start = start.plusDays(monthLength(start));
        }
        return Optional.empty();
    }

    private static ChineseCalendar at(LocalDate date) {
        ChineseCalendar c = CALENDAR.get();
        c.clear();
        c.set(Calendar.JULIAN_DAY, Math.toIntExact(date.toEpochDay() + EPOCH_JULIAN_DAY));
        return c;
    }

    private static void requireSupported(LocalDate date) {
        if (!supports(date)) {
            throw new IllegalArgumentException("the Vietnamese lunar calendar is supported from " + FIRST + " to " + LAST + ": " + date);
        }
    }
}
