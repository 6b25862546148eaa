package org.convene.schedule;

/**
 * A day of the Vietnamese lunar calendar. {@code year} is the Gregorian year in which that lunar year
 * begins (Tết), so 10/3 of year 2027 is the Hùng Kings' day of 2027; {@code leap} marks a day of a
 * leap (intercalary) month, which repeats the number of the month before it.
 */
public record LunarDate(int year, int month, boolean leap, int day) {
    public LunarDate {
        if (month < 1 || month > 12) throw new IllegalArgumentException("lunar month must be 1–12: " + month);
        if (day < 1 || day > 30) throw new IllegalArgumentException("lunar day must be 1–30: " + day);
    }

    /** As Vietnamese calendars write it: "10/3", "15/4 nhuận". */
    @Override
    public String toString() {
        return day + "/" + month + (leap ? " nhuận" : "");
    }
}
