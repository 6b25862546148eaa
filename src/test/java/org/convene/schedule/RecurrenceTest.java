package org.convene.schedule;

import static java.time.LocalDate.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.convene.meeting.ConveneException;
import org.junit.jupiter.api.Test;

/**
 * Occurrences of rules against dates worked out by hand on a printed calendar (1 Dec 2026 is a
 * Tuesday, 1 Jan 2027 a Friday, 1 Feb 2027 a Monday), most of them across the turn of the year.
 */
class RecurrenceTest {

    @Test
    void monthly_on_the_first_sunday() {
        assertThat(dates("FREQ=MONTHLY;BYDAY=1SU", "2026-11-15", "2026-11-15", "2027-02-28"))
                .containsExactly(parse("2026-12-06"), parse("2027-01-03"), parse("2027-02-07"));
    }

    @Test
    void weekly_on_tuesdays_and_thursdays() {
        assertThat(dates("FREQ=WEEKLY;BYDAY=TU,TH", "2026-12-28", "2026-12-28", "2027-01-08"))
                .containsExactly(parse("2026-12-29"), parse("2026-12-31"), parse("2027-01-05"), parse("2027-01-07"));
    }

    @Test
    void bysetpos_picks_the_last_weekday_of_each_month() {
        assertThat(dates("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-11-01", "2026-11-01", "2027-02-28"))
                .containsExactly(parse("2026-11-30"), parse("2026-12-31"), parse("2027-01-29"), parse("2027-02-26"));
    }

    @Test
    void negative_bymonthday_counts_from_the_end_of_each_month() {
        assertThat(dates("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-12-15", "2026-12-15", "2027-03-31"))
                .containsExactly(parse("2026-12-31"), parse("2027-01-31"), parse("2027-02-28"), parse("2027-03-31"));
        assertThat(dates("FREQ=MONTHLY;BYMONTHDAY=-2;BYMONTH=2", "2027-01-01", "2027-01-01", "2028-12-31"))
                .as("the day before the last of February, in a common and a leap year")
                .containsExactly(parse("2027-02-27"), parse("2028-02-28"));
    }

    @Test
    void interval_skips_weeks_and_months_from_the_anchor() {
        assertThat(dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "2026-12-19", "2026-12-19", "2027-01-31"))
                .containsExactly(parse("2026-12-19"), parse("2027-01-02"), parse("2027-01-16"), parse("2027-01-30"));
        assertThat(dates("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "2026-11-15", "2026-11-15", "2027-06-30"))
                .containsExactly(parse("2026-11-15"), parse("2027-02-15"), parse("2027-05-15"));
    }

    @Test
    void interval_keeps_its_phase_when_the_window_starts_later() {
        assertThat(dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "2026-12-19", "2027-01-03", "2027-01-31"))
                .containsExactly(parse("2027-01-16"), parse("2027-01-30"));
    }

    @Test
    void until_is_inclusive() {
        assertThat(dates("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270108", "2026-12-20", "2026-12-20", "2027-03-01"))
                .containsExactly(parse("2026-12-25"), parse("2027-01-01"), parse("2027-01-08"));
    }

    @Test
    void count_counts_only_days_that_exist() {
        // the 31st: November and February have none
        assertThat(dates("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", "2026-11-01", "2026-11-01", "2027-12-31"))
                .containsExactly(parse("2026-12-31"), parse("2027-01-31"), parse("2027-03-31"));
    }

    @Test
    void count_is_counted_from_the_anchor_even_when_the_window_starts_later() {
        assertThat(dates("FREQ=WEEKLY;BYDAY=MO;COUNT=4", "2026-12-21", "2027-01-01", "2027-12-31"))
                .containsExactly(parse("2027-01-04"), parse("2027-01-11"));
    }

    @Test
    void yearly_on_the_last_sunday_of_december() {
        assertThat(dates("FREQ=YEARLY;BYMONTH=12;BYDAY=-1SU", "2026-01-01", "2026-01-01", "2028-01-01"))
                .containsExactly(parse("2026-12-27"), parse("2027-12-26"));
    }

    @Test
    void an_rrule_prefix_is_accepted() {
        assertThat(Recurrence.parse("RRULE:FREQ=DAILY;COUNT=2", null).rrule()).isEqualTo("FREQ=DAILY;COUNT=2");
    }

    @Test
    void every_lunar_month_on_the_fifteenth() {
        List<LocalDate> dates = Recurrence.parse(null, 15).dates(parse("2026-12-01"), parse("2026-12-01"), parse("2027-03-31"));
        // Tết 2027 is 6 February, so the 15th of the first month is the 20th
        assertThat(dates).contains(parse("2027-02-20")).hasSize(4);
        assertThat(dates).allSatisfy(d -> assertThat(VietnameseLunarCalendar.toLunar(d).day()).isEqualTo(15));
    }

    @Test
    void a_lunar_rule_takes_interval_and_count_from_its_rrule() {
        List<LocalDate> dates = Recurrence.parse("FREQ=MONTHLY;INTERVAL=2;COUNT=2", 1).dates(parse("2027-02-06"), parse("2027-01-01"), parse("2027-12-31"));
        assertThat(dates).hasSize(2).first().isEqualTo(parse("2027-02-06"));
        assertThat(VietnameseLunarCalendar.toLunar(dates.get(1))).isEqualTo(new LunarDate(2027, 3, false, 1));
    }

    @Test
    void the_thirtieth_lunar_day_falls_on_the_last_day_of_a_short_month() {
        for (LocalDate d : Recurrence.parse(null, 30).dates(parse("2027-01-01"), parse("2027-01-01"), parse("2027-12-31"))) {
            assertThat(VietnameseLunarCalendar.toLunar(d.plusDays(1)).day()).as(d + " is a month's last day").isEqualTo(1);
        }
    }

    @Test
    void rules_with_hours_unknown_parts_or_bad_values_are_refused_naming_the_field() {
        assertRefused("FREQ=HOURLY", null, "rrule");
        assertRefused("FREQ=WEEKLY;BYHOUR=19", null, "rrule");
        assertRefused("BYDAY=MO", null, "rrule");
        assertRefused("FREQ=WEEKLY;BYDAY=XX", null, "rrule");
        assertRefused("every monday", null, "rrule");
        assertRefused("FREQ=MONTHLY;BYMONTHDAY=40", null, "rrule");
        assertRefused(null, null, "rrule");
        assertRefused(null, 31, "lunarDay");
        assertRefused("FREQ=WEEKLY", 15, "rrule");
    }

    private static List<LocalDate> dates(String rrule, String anchor, String from, String to) {
        return Recurrence.parse(rrule, null).dates(parse(anchor), parse(from), parse(to));
    }

    private static void assertRefused(String rrule, Integer lunarDay, String field) {
        assertThatThrownBy(() -> Recurrence.parse(rrule, lunarDay))
                .isInstanceOfSatisfying(ConveneException.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo(field));
    }
}
