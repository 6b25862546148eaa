package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.convene.response.CsvCells;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What members type reaches spreadsheets as text, never as a formula. */
class CsvExportTest {
    static TestConvene app;
    static long unit;

    @BeforeAll
    static void start() {
        app = TestConvene.start();
        unit = app.unit("+Chi bộ");
        long member = app.member(unit, "@Nguyễn Văn An", null);
        long meeting = app.meeting(unit, "2026-12-05T19:30", null).get("id").asLong();
        Http.Reply r = app.api.post("/api/v1/meetings/" + meeting + "/responses",
                Map.of("memberId", member, "rsvp", "no", "reason", "=HYPERLINK(\"https://evil.example\",\"xem\")"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        app.clock.advance(java.time.Duration.ofDays(5)); // reports count meetings that took place
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void a_reason_typed_as_a_formula_is_written_as_text_in_the_attendance_csv() {
        String csv = app.api.get("/api/v1/reports/attendance?unitId=" + unit + "&from=2026-12-01&to=2026-12-31&format=csv").text();

        assertThat(csv).contains("'=HYPERLINK(").doesNotContain(",=HYPERLINK(", ",\"=HYPERLINK(");
        assertThat(csv).contains("'@Nguyễn Văn An", "'+Chi bộ");
    }

    @Test
    void the_units_csv_writes_a_unit_name_as_text_too() {
        String csv = app.api.get("/api/v1/reports/units?unitId=" + unit + "&from=2026-12-01&to=2026-12-31&format=csv").text();

        assertThat(csv).contains("'+Chi bộ").doesNotContain(",+Chi bộ");
    }

    @Test
    void each_formula_lead_is_neutralised_and_numbers_and_plain_text_are_left_alone() {
        for (String lead : new String[] {"=", "+", "-", "@", "\t", "\r"}) assertThat(CsvCells.cell(lead + "1")).isEqualTo("'" + lead + "1");
        assertThat(CsvCells.cell("Ốm")).isEqualTo("Ốm");
        assertThat(CsvCells.cell(-1)).isEqualTo(-1);
        assertThat(CsvCells.cell(0.95)).isEqualTo(0.95);
        assertThat(CsvCells.cell(null)).isNull();
    }
}
