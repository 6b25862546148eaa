package org.convene.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.convene.meeting.MemberCsv.Column;
import org.junit.jupiter.api.Test;

/** Rosters as spreadsheet programs save them, in Vietnamese and English locales. */
class MemberCsvTest {
    @Test
    void a_semicolon_file_with_a_vietnamese_header_is_read_by_its_header() {
        MemberCsv.Roster r = MemberCsv.read("\uFEFFHọ tên;Vai trò;Điện thoại\nNguyễn Văn An;Đảng viên;0912 345 678\n");

        assertThat(r.delimiter()).isEqualTo(';');
        assertThat(r.header()).isTrue();
        assertThat(r.columns()).containsExactly(Column.NAME, Column.ROLE, Column.PHONE);
        assertThat(r.rows()).singleElement().satisfies(row -> {
            assertThat(row.line()).isEqualTo(2);
            assertThat(row.get(Column.NAME)).isEqualTo("Nguyễn Văn An");
            assertThat(row.get(Column.ROLE)).isEqualTo("Đảng viên");
            assertThat(row.get(Column.PHONE)).isEqualTo("0912 345 678");
        });
    }

    @Test
    void a_tab_file_whose_header_reorders_the_columns_is_read_by_name_and_unknown_columns_are_listed() {
        MemberCsv.Roster r = MemberCsv.read("STT\tSĐT\tHọ và tên\tGhi chú\n1\t0912000001\tLê Thị Mai\tmới\n");

        assertThat(r.delimiter()).isEqualTo('\t');
        assertThat(r.ignored()).containsExactly("STT", "Ghi chú");
        assertThat(r.rows().get(0).get(Column.NAME)).isEqualTo("Lê Thị Mai");
        assertThat(r.rows().get(0).get(Column.PHONE)).isEqualTo("0912000001");
    }

    @Test
    void a_file_without_a_header_is_read_by_position_and_a_quoted_comma_stays_in_its_cell() {
        MemberCsv.Roster r = MemberCsv.read("\"Trần, Văn Bình\",member,0913111222,42\nLê Văn Minh,deputy,,\n");

        assertThat(r.delimiter()).isEqualTo(',');
        assertThat(r.header()).isFalse();
        assertThat(r.rows()).extracting(row -> row.get(Column.NAME)).containsExactly("Trần, Văn Bình", "Lê Văn Minh");
        assertThat(r.rows().get(0).get(Column.TELEGRAM_USER_ID)).isEqualTo("42");
        assertThat(r.rows().get(1).get(Column.PHONE)).isNull();
    }

    @Test
    void a_header_that_names_no_name_column_is_refused() {
        assertThatThrownBy(() -> MemberCsv.read("Điện thoại;Vai trò\n0912000001;bí thư\n"))
                .isInstanceOfSatisfying(ConveneException.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("header"));
    }

    @Test
    void vietnamese_role_words_are_roles() {
        assertThat(Role.parse("Bí thư")).contains(Role.SECRETARY);
        assertThat(Role.parse("phó bí thư")).contains(Role.DEPUTY);
        assertThat(Role.parse("ĐẢNG VIÊN")).contains(Role.MEMBER);
        assertThat(Role.parse("đảng viên dự bị")).contains(Role.MEMBER);
        assertThat(Role.parse("deputy")).contains(Role.DEPUTY);
        assertThat(Role.parse("chủ tịch")).isEmpty();
    }
}
