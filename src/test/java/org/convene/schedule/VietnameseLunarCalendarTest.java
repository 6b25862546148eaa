package org.convene.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Lunar dates against tables Vietnamese calendars print, and against an independent algorithm. */
class VietnameseLunarCalendarTest {

    /**
     * Tết 2020–2030 as Vietnamese calendars give them. 2030 is 2 February: that new moon comes at about
     * 16:07 UTC, 23:07 in Hà Nội but 00:07 on the 3rd in Beijing, so China's Spring Festival is 3 February.
     */
    @ParameterizedTest(name = "Tết {0} is {1}")
    @CsvSource({"2020, 2020-01-25", "2021, 2021-02-12", "2022, 2022-02-01", "2023, 2023-01-22", "2024, 2024-02-10",
            "2025, 2025-01-29", "2026, 2026-02-17", "2027, 2027-02-06", "2028, 2028-01-26", "2029, 2029-02-13", "2030, 2030-02-02"})
    void tet_falls_on_the_day_vietnamese_calendars_give(int year, LocalDate expected) {
        assertThat(VietnameseLunarCalendar.newYear(year)).isEqualTo(expected);
        assertThat(VietnameseLunarCalendar.toLunar(expected)).isEqualTo(new LunarDate(year, 1, false, 1));
    }

    /** Years where a new moon falls between 23:00 and midnight Beijing time: the Chinese new year is a day (or a month) later. */
    @ParameterizedTest(name = "Tết {0} is {1}, not China''s {2}")
    @CsvSource({"1985, 1985-01-21, 1985-02-20", "2007, 2007-02-17, 2007-02-18", "2027, 2027-02-06, 2027-02-07"})
    void tet_differs_from_the_chinese_new_year_where_the_meridian_decides(int year, LocalDate vietnam, LocalDate china) {
        assertThat(VietnameseLunarCalendar.newYear(year)).isEqualTo(vietnam).isNotEqualTo(china);
    }

    @Test
    void tet_agrees_with_ho_ngoc_ducs_algorithm_for_every_year_from_1968_to_2100() {
        // 1968 is the first Tết North Vietnam reckoned at UTC+7 (the south kept UTC+8 that year: Tết Mậu Thân)
        List<String> disagreements = new ArrayList<>();
        for (int year = 1968; year <= 2100; year++) {
            LocalDate icu = VietnameseLunarCalendar.newYear(year);
            LocalDate reference = HoNgocDucReference.tet(year);
            if (!icu.equals(reference)) disagreements.add(year + ": " + icu + " vs " + reference);
        }
        assertThat(disagreements).isEmpty();
    }

    @ParameterizedTest(name = "the Hùng Kings'' day {0} is {1}")
    @CsvSource({"2020, 2020-04-02", "2021, 2021-04-21", "2022, 2022-04-10", "2023, 2023-04-29", "2024, 2024-04-18",
            "2025, 2025-04-07", "2026, 2026-04-26"})
    void the_hung_kings_day_is_the_tenth_of_the_third_lunar_month(int year, LocalDate expected) {
        assertThat(VietnameseLunarCalendar.toSolar(new LunarDate(year, 3, false, 10))).contains(expected);
    }

    @Test
    void a_leap_month_repeats_the_number_of_the_month_before_it() {
        // 2023 had a leap 2nd month: 20 March – 19 April 2023
        assertThat(VietnameseLunarCalendar.toLunar(LocalDate.of(2023, 3, 22))).isEqualTo(new LunarDate(2023, 2, true, 1));
        assertThat(VietnameseLunarCalendar.toSolar(new LunarDate(2023, 2, true, 1))).contains(LocalDate.of(2023, 3, 22));
        assertThat(VietnameseLunarCalendar.toSolar(new LunarDate(2024, 2, true, 1))).as("2024 has no leap month").isEmpty();
    }

    @Test
    void the_last_day_of_the_lunar_year_is_the_eve_of_tet() {
        LunarDate eve = VietnameseLunarCalendar.toLunar(LocalDate.of(2027, 2, 5));
        assertThat(eve.year()).isEqualTo(2026);
        assertThat(eve.month()).isEqualTo(12);
        assertThat(eve.day()).isIn(29, 30);
        assertThat(VietnameseLunarCalendar.monthLength(VietnameseLunarCalendar.monthStartOf(LocalDate.of(2027, 2, 5)))).isEqualTo(eve.day());
    }

    @Test
    void mid_autumn_2026_is_the_fifteenth_of_the_eighth_month() {
        assertThat(VietnameseLunarCalendar.toSolar(new LunarDate(2026, 8, false, 15))).contains(LocalDate.of(2026, 9, 25));
    }
}
