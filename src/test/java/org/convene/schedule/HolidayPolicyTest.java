package org.convene.schedule;

import static java.time.LocalDate.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Occurrences on holidays: met anyway, skipped, or moved past every holiday in a row. */
class HolidayPolicyTest {
    private final PublicHolidays holidays = new PublicHolidays(PublicHolidays.Settings.DEFAULT);
    private final Predicate<LocalDate> vn = d -> holidays.isHoliday("VN", d);

    @Test
    void next_day_moves_30_april_past_1_may_to_2_may() {
        assertThat(HolidayPolicy.NEXT_DAY.apply(parse("2027-04-30"), vn)).contains(parse("2027-05-02"));
    }

    @Test
    void previous_day_moves_1_may_past_30_april_to_29_april() {
        assertThat(HolidayPolicy.PREVIOUS_DAY.apply(parse("2027-05-01"), vn)).contains(parse("2027-04-29"));
    }

    @Test
    void next_day_moves_past_the_whole_tet_holiday() {
        // default span: the eve (5 Feb) through mùng 5 (10 Feb)
        assertThat(HolidayPolicy.NEXT_DAY.apply(parse("2027-02-06"), vn)).contains(parse("2027-02-11"));
        assertThat(HolidayPolicy.PREVIOUS_DAY.apply(parse("2027-02-06"), vn)).contains(parse("2027-02-04"));
    }

    @Test
    void skip_drops_a_holiday_and_allow_keeps_it() {
        assertThat(HolidayPolicy.SKIP.apply(parse("2027-09-02"), vn)).isEmpty();
        assertThat(HolidayPolicy.ALLOW.apply(parse("2027-09-02"), vn)).contains(parse("2027-09-02"));
        assertThat(HolidayPolicy.SKIP.apply(parse("2027-09-03"), vn)).contains(parse("2027-09-03"));
    }

    @Test
    void a_weekly_friday_series_moves_30_april_to_the_sunday_and_keeps_its_name() {
        List<Occurrence> occurrences = Occurrence.between(Recurrence.parse("FREQ=WEEKLY;BYDAY=FR", null), parse("2027-04-01"),
                parse("2027-04-23"), parse("2027-05-07"), HolidayPolicy.NEXT_DAY, vn);
        assertThat(occurrences).containsExactly(
                new Occurrence(parse("2027-04-23"), parse("2027-04-23")),
                new Occurrence(parse("2027-04-30"), parse("2027-05-02")),
                new Occurrence(parse("2027-05-07"), parse("2027-05-07")));
    }

    @Test
    void a_moved_occurrence_never_lands_on_a_day_the_rule_already_meets() {
        // daily: 30/4 and 1/5 both move to 2/5, which the rule meets on anyway
        List<Occurrence> occurrences = Occurrence.between(Recurrence.parse("FREQ=DAILY", null), parse("2027-04-29"),
                parse("2027-04-29"), parse("2027-05-02"), HolidayPolicy.NEXT_DAY, vn);
        assertThat(occurrences).extracting(Occurrence::date).containsExactly(parse("2027-04-29"), parse("2027-05-02"));
    }
}
