package org.convene.schedule;

import java.time.LocalDate;

/**
 * An independent reference for Tết: Hồ Ngọc Đức's public algorithm for the Vietnamese calendar (new
 * moons and solar terms after Meeus' formulas, at UTC+7), the one Vietnamese calendar sites and apps
 * are built on. It shares nothing with ICU, so agreement between the two is evidence, not an echo.
 */
final class HoNgocDucReference {
    private static final double ZONE = 7.0;

    private HoNgocDucReference() {}

    /** Mùng 1 Tết of the lunar year that begins in Gregorian {@code year}. */
    static LocalDate tet(int year) {
        long a11 = lunarMonth11(year - 1);
        long b11 = lunarMonth11(year);
        long k = floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
        int months = 2; // month 11 → month 12 → month 1
        if (b11 - a11 > 365 && leapMonthOffset(a11) <= 2) months++; // a leap 11th or 12th month lies between
        return LocalDate.ofEpochDay(newMoonDay(k + months) - 2440588L);
    }

    private static long floor(double d) {
        return (long) Math.floor(d);
    }

    private static long julianDay(int dd, int mm, int yy) {
        long a = floor((14 - mm) / 12.0);
        long y = yy + 4800 - a;
        long m = mm + 12 * a - 3;
        long jd = dd + floor((153 * m + 2) / 5.0) + 365 * y + floor(y / 4.0) - floor(y / 100.0) + floor(y / 400.0) - 32045;
        return jd < 2299161 ? dd + floor((153 * m + 2) / 5.0) + 365 * y + floor(y / 4.0) - 32083 : jd;
    }

    private static double newMoon(long k) {
        double t = k / 1236.85;
        double t2 = t * t;
        double t3 = t2 * t;
        double dr = Math.PI / 180;
        double jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
                + 0.00033 * Math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
        double m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
        double mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
        double f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
        double c1 = (0.1734 - 0.000393 * t) * Math.sin(m * dr) + 0.0021 * Math.sin(2 * dr * m)
                - 0.4068 * Math.sin(mpr * dr) + 0.0161 * Math.sin(dr * 2 * mpr) - 0.0004 * Math.sin(dr * 3 * mpr)
                + 0.0104 * Math.sin(dr * 2 * f) - 0.0051 * Math.sin(dr * (m + mpr)) - 0.0074 * Math.sin(dr * (m - mpr))
                + 0.0004 * Math.sin(dr * (2 * f + m)) - 0.0004 * Math.sin(dr * (2 * f - m)) - 0.0006 * Math.sin(dr * (2 * f + mpr))
                + 0.0010 * Math.sin(dr * (2 * f - mpr)) + 0.0005 * Math.sin(dr * (2 * mpr + m));
        double deltaT = t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
                : -0.000278 + 0.000265 * t + 0.000262 * t2;
        return jd1 + c1 - deltaT;
    }

    private static double sunLongitude(double jdn) {
        double t = (jdn - 2451545.0) / 36525;
        double t2 = t * t;
        double dr = Math.PI / 180;
        double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
        double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
        double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * Math.sin(dr * m)
                + (0.019993 - 0.000101 * t) * Math.sin(dr * 2 * m) + 0.000290 * Math.sin(dr * 3 * m);
        double l = (l0 + dl) * dr;
        return l - Math.PI * 2 * floor(l / (Math.PI * 2));
    }

    private static long newMoonDay(long k) {
        return floor(newMoon(k) + 0.5 + ZONE / 24);
    }

    /** Which of the twelve 30° sectors the sun is in at the start of a local day. */
    private static long sunSector(long dayNumber) {
        return floor(sunLongitude(dayNumber - 0.5 - ZONE / 24) / Math.PI * 6);
    }

    /** The first day of the 11th lunar month (the one holding the winter solstice) of {@code year}. */
    private static long lunarMonth11(int year) {
        long off = julianDay(31, 12, year) - 2415021;
        long k = floor(off / 29.530588853);
        long nm = newMoonDay(k);
        return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
    }

    private static int leapMonthOffset(long a11) {
        long k = floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
        int i = 1;
        long arc = sunSector(newMoonDay(k + i));
        long last;
        do {
            last = arc;
            i++;
            arc = sunSector(newMoonDay(k + i));
        } while (arc != last && i < 14);
        return i - 1;
    }
}
