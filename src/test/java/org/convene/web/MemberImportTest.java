package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.web.ApiErrorsTest.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A secretary's roster, sent as CSV over real HTTP: good rows land, each bad row is named by its line. */
class MemberImportTest {
    static final String ROSTER = """
            name,role,phone,telegramUserId
            Trần Thị Lan,secretary,0912 345 678,111
            ,member,0912000001,
            Lê Văn Minh,chairman,0912000002,
            Phạm Thị Hoa,member,0912000003,abc
            Nguyễn Văn An,,0912.000.004,
            """;

    TestConvene app;

    @BeforeEach
    void start() {
        app = TestConvene.start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_roster_creates_the_good_rows_and_names_each_bad_line() {
        long unit = app.unit("Chi bộ khu Lạc Thanh");

        Http.Reply r = importCsv(unit, ROSTER);

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.body().get("created").asInt()).isEqualTo(2);
        assertThat(r.body().get("updated").asInt()).isZero();
        assertThat(r.body().get("errors")).extracting(e -> e.get("line").asInt()).containsExactly(3, 4, 5);
        assertThat(r.body().get("errors")).extracting(e -> e.get("message").asText()).satisfiesExactly(
                m -> assertThat(m).contains("name"),
                m -> assertThat(m).contains("role"),
                m -> assertThat(m).contains("telegramUserId"));
    }

    @Test
    void the_good_rows_of_a_roster_are_stored() {
        long unit = app.unit("Chi bộ 2");

        importCsv(unit, ROSTER);

        JsonNode members = app.api.get("/api/v1/units/" + unit + "/members").body();
        assertThat(members).extracting(m -> m.get("name").asText()).containsExactlyInAnyOrder("Trần Thị Lan", "Nguyễn Văn An");
        JsonNode lan = byName(members, "Trần Thị Lan");
        assertThat(lan.get("role").asText()).isEqualTo("secretary");
        assertThat(lan.get("phone").asText()).isEqualTo("0912345678");
        assertThat(lan.get("telegramUserId").asText()).isEqualTo("111");
        assertThat(byName(members, "Nguyễn Văn An").get("role").asText()).isEqualTo("member");
    }

    @Test
    void a_second_import_with_the_same_phone_updates_instead_of_duplicating() {
        long unit = app.unit("Chi bộ 3");
        importCsv(unit, "name,role,phone,telegramUserId\nTrần Văn Bình,member,0913 111 222,\n");

        Http.Reply again = importCsv(unit, "name,role,phone,telegramUserId\nTrần Văn Bình,deputy,0913.111.222,222\n");

        assertThat(again.body().get("created").asInt()).isZero();
        assertThat(again.body().get("updated").asInt()).isEqualTo(1);
        assertThat(again.body().get("errors")).isEmpty();
        JsonNode members = app.api.get("/api/v1/units/" + unit + "/members").body();
        assertThat(members).hasSize(1);
        assertThat(members.get(0).get("role").asText()).isEqualTo("deputy");
        assertThat(members.get(0).get("telegramUserId").asText()).isEqualTo("222");
    }

    @Test
    void line_numbers_count_blank_lines_too() {
        long unit = app.unit("Chi bộ 4");

        Http.Reply r = importCsv(unit, "name,role,phone,telegramUserId\nTrần Thị Mai,member,,\n\nĐỗ Văn Tú,boss,,\n");

        assertThat(r.body().get("errors")).extracting(e -> e.get("line").asInt()).containsExactly(4);
    }

    @Test
    void a_semicolon_roster_with_a_vietnamese_header_and_role_words_creates_one_member_per_line() {
        long unit = app.unit("Chi bộ 8");

        Http.Reply r = importCsv(unit, "Họ tên;Vai trò;Điện thoại\nTrần Thị Lan;Bí thư;0912 345 678\nLê Văn Minh;đảng viên;\n");

        assertThat(r.body().get("created").asInt()).as(r.text()).isEqualTo(2);
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body())
                .extracting(m -> m.get("name").asText() + "/" + m.get("role").asText())
                .containsExactlyInAnyOrder("Trần Thị Lan/secretary", "Lê Văn Minh/member");
    }

    @Test
    void each_refused_line_carries_a_code_and_the_cell_at_fault() {
        long unit = app.unit("Chi bộ 9");

        Http.Reply r = importCsv(unit, "name;role\nĐỗ Văn Tú;chủ tịch\n");

        JsonNode error = r.body().get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("role_unknown");
        assertThat(error.get("value").asText()).isEqualTo("chủ tịch");
    }

    @Test
    void a_roster_sent_as_csv_without_a_charset_is_read_as_utf8() {
        long unit = app.unit("Chi bộ 5");

        Http.Reply r = app.api.postRaw("/api/v1/units/" + unit + "/members/import",
                "name,role\nNguyễn Thị Hằng,member\n".getBytes(StandardCharsets.UTF_8), "text/csv");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).extracting(m -> m.get("name").asText())
                .containsExactly("Nguyễn Thị Hằng");
    }

    @Test
    void a_json_roster_returns_415_and_stores_nothing() {
        long unit = app.unit("Chi bộ 6");

        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members/import", List.of(Map.of("name", "Trần Thị Lan")));

        assertError(r, 415, "unsupported_type");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).isEmpty();
    }

    @Test
    void a_roster_for_an_unknown_unit_returns_404() {
        assertError(importCsv(999_999, ROSTER), 404, "not_found");
    }

    @Test
    void adding_a_member_with_a_telegram_account_already_linked_returns_409_and_stores_nothing() {
        long unit = app.unit("Chi bộ 7");
        Http.Reply first = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", "777"));
        assertThat(first.status()).as(first.text()).isEqualTo(201);

        Http.Reply second = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Văn Minh", "telegramUserId", "777"));

        assertError(second, 409, "conflict");
        assertThat(app.api.get("/api/v1/units/" + unit + "/members").body()).extracting(m -> m.get("name").asText())
                .containsExactly("Trần Thị Lan");
    }

    Http.Reply importCsv(long unit, String csv) {
        return app.api.postRaw("/api/v1/units/" + unit + "/members/import", csv, "text/csv");
    }

    static JsonNode byName(JsonNode members, String name) {
        for (JsonNode m : members) if (m.get("name").asText().equals(name)) return m;
        throw new AssertionError(name + " not in " + members);
    }
}
