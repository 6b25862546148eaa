package org.convene.schedule;

import static java.time.LocalDate.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.convene.meeting.ConveneException;
import org.junit.jupiter.api.Test;

/** Vietnam's public holidays for a year: the solar ones, Tết day by day, the Hùng Kings' day, the operator's own. */
class PublicHolidaysTest {

    @Test
    void vietnam_2027_has_new_year_tet_hung_kings_30_4_1_5_and_2_9_in_date_order() {
        List<Holiday> days = new PublicHolidays(PublicHolidays.Settings.DEFAULT).of("VN", 2027);
        assertThat(days).extracting(h -> h.date().toString() + " " + h.name()).containsExactly(
                "2027-01-01 Tết Dương lịch",
                "2027-02-05 Tết Nguyên Đán (29 tháng Chạp)",
                "2027-02-06 Tết Nguyên Đán (mùng 1)",
                "2027-02-07 Tết Nguyên Đán (mùng 2)",
                "2027-02-08 Tết Nguyên Đán (mùng 3)",
                "2027-02-09 Tết Nguyên Đán (mùng 4)",
                "2027-02-10 Tết Nguyên Đán (mùng 5)",
                "2027-04-16 Giỗ Tổ Hùng Vương",
                "2027-04-30 Ngày Giải phóng miền Nam, thống nhất đất nước",
                "2027-05-01 Ngày Quốc tế Lao động",
                "2027-09-02 Quốc khánh");
        assertThat(days.get(1).nameEn()).isEqualTo("Lunar New Year's Eve");
        assertThat(days.get(7).lunar()).isEqualTo(new LunarDate(2027, 3, false, 10));
        assertThat(days.get(0).lunar()).isNull();
    }

    @Test
    void the_tet_span_and_extra_days_come_from_the_settings() {
        PublicHolidays holidays = new PublicHolidays(new PublicHolidays.Settings("VN", 2, 3,
                List.of(PublicHolidays.parseExtra("2027-09-03 Quốc khánh (nghỉ thêm)"))));
        assertThat(holidays.dates("VN", parse("2027-02-01"), parse("2027-02-28")))
                .containsExactlyInAnyOrder(parse("2027-02-04"), parse("2027-02-05"), parse("2027-02-06"), parse("2027-02-07"), parse("2027-02-08"));
        assertThat(holidays.isHoliday("VN", parse("2027-09-03"))).isTrue();
        assertThat(holidays.isHoliday("vn", parse("2027-09-04"))).isFalse();
    }

    @Test
    void an_unknown_country_or_a_year_out_of_range_is_refused_naming_the_field() {
        PublicHolidays holidays = new PublicHolidays(PublicHolidays.Settings.DEFAULT);
        assertThatThrownBy(() -> holidays.of("FR", 2027))
                .isInstanceOfSatisfying(ConveneException.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("country"));
        assertThatThrownBy(() -> holidays.of("VN", 2101))
                .isInstanceOfSatisfying(ConveneException.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("year"));
    }
}
