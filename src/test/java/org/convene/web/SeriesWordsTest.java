package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.convene.schedule.SeriesDefinition;
import org.junit.jupiter.api.Test;

/** A series' rule in words, as the meeting's pages show it; a rule that has no simple words is shown as written. */
class SeriesWordsTest {
    final SeriesWords words = new SeriesWords(new Pages(null, false));

    String vi(String rrule, Integer lunarDay, String policy, LocalDate until) {
        return words.describe(definition(rrule, lunarDay, policy), until, "vi");
    }

    String en(String rrule, Integer lunarDay, String policy, LocalDate until) {
        return words.describe(definition(rrule, lunarDay, policy), until, "en");
    }

    static SeriesDefinition definition(String rrule, Integer lunarDay, String policy) {
        // Thursday 3 December 2026
        return new SeriesDefinition("Sinh hoạt chi bộ", "regular", rrule, lunarDay, LocalDate.of(2026, 12, 3), LocalTime.of(19, 30), 120, policy,
                null, List.of(), null);
    }

    @Test
    void the_rules_the_editor_makes_read_as_words() {
        assertThat(vi("FREQ=WEEKLY;BYDAY=TH", null, "allow", null)).isEqualTo("Hằng tuần vào Thứ Năm lúc 19:30");
        assertThat(en("FREQ=WEEKLY;BYDAY=TH", null, "allow", null)).isEqualTo("Every week on Thursday at 19:30");
        assertThat(vi("FREQ=MONTHLY;BYDAY=1SU", null, "next-day", null))
                .isEqualTo("Hằng tháng vào Chủ Nhật đầu tiên lúc 19:30, trùng ngày lễ thì dời sang ngày hôm sau");
        assertThat(en("FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20270630", null, "skip", null))
                .isEqualTo("Every month on the last Thursday at 19:30, skipped on public holidays, until 30 Jun 2027");
        assertThat(vi(null, 15, "allow", null)).isEqualTo("Hằng tháng vào ngày 15 âm lịch lúc 19:30");
        assertThat(en("FREQ=MONTHLY;UNTIL=20270630", 1, "previous-day", null))
                .isEqualTo("Every month on lunar day 1 at 19:30, moved to the day before on a public holiday, until 30 Jun 2027");
    }

    @Test
    void simple_rules_written_by_hand_read_as_words_too() {
        assertThat(vi("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", null, "allow", null)).isEqualTo("2 tuần một lần vào Thứ Ba lúc 19:30");
        assertThat(en("FREQ=WEEKLY;BYDAY=MO,WE", null, "allow", null)).isEqualTo("Every week on Monday, Wednesday at 19:30");
        assertThat(en("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6", null, "allow", null)).isEqualTo("Every month on the last day at 19:30, 6 times");
        assertThat(vi("FREQ=MONTHLY", null, "allow", null)).isEqualTo("Hằng tháng vào ngày 3 lúc 19:30");
        assertThat(en("FREQ=DAILY;INTERVAL=3", null, "allow", null)).isEqualTo("Every 3 days at 19:30");
        assertThat(vi("FREQ=YEARLY", null, "allow", null)).isEqualTo("Hằng năm vào ngày 03/12 lúc 19:30");
    }

    @Test
    void anything_else_is_shown_as_written_and_the_earlier_end_wins() {
        assertThat(en("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1", null, "allow", null))
                .isEqualTo("By the rule FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1 at 19:30");
        assertThat(vi("FREQ=WEEKLY;BYDAY=TH;UNTIL=20271231", null, "allow", LocalDate.of(2027, 6, 30)))
                .isEqualTo("Hằng tuần vào Thứ Năm lúc 19:30, đến 30/06/2027");
    }
}
