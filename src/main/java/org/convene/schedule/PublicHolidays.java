package org.convene.schedule;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.convene.meeting.ConveneException;

/**
 * Vietnam's public holidays by the Labour Code: 1/1, Tết (its span of days off set by the operator,
 * since the government decides it each year), the Hùng Kings' day on 10/3 lunar, 30/4, 1/5 and 2/9,
 * plus the operator's own days (the day next to 2/9 the government picks, bridge days).
 */
public final class PublicHolidays {
    public static final Set<String> COUNTRIES = Set.of("VN");

    /**
     * @param tetDaysBefore days off before mùng 1 (1 = the last day of the old year)
     * @param tetLastDay    the last day of the new year that is off (5 = through mùng 5)
     * @param extra         the operator's own holidays, in every year they are dated
     */
    public record Settings(String country, int tetDaysBefore, int tetLastDay, List<Holiday> extra) {
        public static final Settings DEFAULT = new Settings("VN", 1, 5, List.of());

        public Settings {
            extra = List.copyOf(extra);
        }
    }

    private static final List<Fixed> FIXED = List.of(
            new Fixed(MonthDay.of(1, 1), "Tết Dương lịch", "New Year's Day"),
            new Fixed(MonthDay.of(4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", "Reunification Day"),
            new Fixed(MonthDay.of(5, 1), "Ngày Quốc tế Lao động", "International Workers' Day"),
            new Fixed(MonthDay.of(9, 2), "Quốc khánh", "National Day"));

    private record Fixed(MonthDay day, String name, String nameEn) {}

    private final Settings settings;
    private final Map<Integer, List<Holiday>> byYear = new ConcurrentHashMap<>();

    public PublicHolidays(Settings settings) {
        this.settings = settings;
    }

    /** The country whose holidays a series follows: units carry none, so the operator names it. */
    public String defaultCountry() {
        return settings.country();
    }

    /** The holidays of a Gregorian year, by date; 422 for a country or year this calendar does not know. */
    public List<Holiday> of(String country, int year) {
        checkCountry(country);
        if (year < 1900 || year > 2100) throw new ConveneException.Invalid("year", "must be between 1900 and 2100");
        return byYear.computeIfAbsent(year, this::vietnam);
    }

    public boolean isHoliday(String country, LocalDate date) {
        if (date.getYear() < 1900 || date.getYear() > 2100) return false;
        return of(country, date.getYear()).stream().anyMatch(h -> h.date().equals(date));
    }

    /** Every holiday date from {@code from} to {@code to}, both included. */
    public Set<LocalDate> dates(String country, LocalDate from, LocalDate to) {
        Set<LocalDate> dates = new java.util.HashSet<>();
        for (int y = Math.max(1900, from.getYear()); y <= Math.min(2100, to.getYear()); y++) {
            for (Holiday h : of(country, y)) if (!h.date().isBefore(from) && !h.date().isAfter(to)) dates.add(h.date());
        }
        return dates;
    }

    public static String normalCountry(String country) {
        return country == null ? null : country.strip().toUpperCase(Locale.ROOT);
    }

    private static void checkCountry(String country) {
        if (country == null || !COUNTRIES.contains(normalCountry(country))) {
            throw new ConveneException.Invalid("country", "is not a country with a holiday calendar; known: "
                    + COUNTRIES.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    private List<Holiday> vietnam(int year) {
        List<Holiday> days = new ArrayList<>();
        for (Fixed f : FIXED) days.add(new Holiday(f.day().atYear(year), f.name(), f.nameEn(), null));
        days.addAll(tet(year));
        LunarDate hungKings = new LunarDate(year, 3, false, 10);
        VietnameseLunarCalendar.toSolar(hungKings).ifPresent(d -> days.add(new Holiday(d, "Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day", hungKings)));
        Set<LocalDate> taken = days.stream().map(Holiday::date).collect(Collectors.toSet());
        for (Holiday extra : settings.extra()) {
            if (extra.date().getYear() == year && taken.add(extra.date())) days.add(extra);
        }
        days.sort(Comparator.comparing(Holiday::date));
        return List.copyOf(days);
    }

    /** Each day of the Tết holiday named for itself: the last day(s) of the old year, then mùng 1, mùng 2, … */
    private List<Holiday> tet(int year) {
        LocalDate newYear = VietnameseLunarCalendar.newYear(year);
        List<Holiday> days = new ArrayList<>();
        for (int before = settings.tetDaysBefore(); before >= 1; before--) {
            LocalDate date = newYear.minusDays(before);
            LunarDate lunar = VietnameseLunarCalendar.toLunar(date);
            String en = before == 1 ? "Lunar New Year's Eve" : "Lunar New Year holiday (day " + lunar.day() + " of the 12th month)";
            days.add(new Holiday(date, "Tết Nguyên Đán (" + lunar.day() + " tháng Chạp)", en, lunar));
        }
        for (int day = 1; day <= settings.tetLastDay(); day++) {
            LocalDate date = newYear.plusDays(day - 1L);
            days.add(new Holiday(date, "Tết Nguyên Đán (mùng " + day + ")", "Lunar New Year (day " + day + ")",
                    VietnameseLunarCalendar.toLunar(date)));
        }
        return days;
    }

    /** One operator holiday as configured: {@code "2025-09-01 Quốc khánh (ngày nghỉ thêm)"}. */
    public static Holiday parseExtra(String text) {
        String t = text.strip();
        int space = t.indexOf(' ');
        if (space < 0) throw new IllegalArgumentException("write YYYY-MM-DD and a name, e.g. \"2025-09-01 Quốc khánh (nghỉ thêm)\": " + text);
        try {
            LocalDate date = LocalDate.parse(t.substring(0, space));
            String name = t.substring(space + 1).strip();
            return new Holiday(date, name, name, null);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("the date must be YYYY-MM-DD: " + text);
        }
    }
}
