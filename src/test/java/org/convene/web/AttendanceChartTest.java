package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report's chart as drawn: a bar's figure never touches the dashed target line nor its neighbour's figure. */
class AttendanceChartTest {
    /**
     * Digits and "%" measured conservatively, a little larger than the chart assumes: ascent 0.8 em,
     * descent 0.1 em, a digit 0.66 em and "%" 1 em wide.
     */
    record Box(double left, double right, double top, double bottom) {
        static Box of(double x, double baseline, int font, String text) {
            double width = 0;
            for (char c : text.toCharArray()) width += (c == '%' ? 1.0 : 0.66) * font;
            return new Box(x - width / 2, x + width / 2, baseline - 0.8 * font, baseline + 0.1 * font);
        }
    }

    record Drawn(double targetY, double strokeWidth, List<Box> figures) {}

    static Drawn draw(AttendanceChart.Size size, List<String> months, List<AttendanceChart.Series> series, double target) {
        String svg = AttendanceChart.svg(size, "t", "d", months, series, target, "Target 90%", "–");
        Matcher line = Pattern.compile("y1=\"([0-9.]+)\" y2=\"[0-9.]+\" stroke=\"#b3261e\" stroke-width=\"([0-9.]+)\"[^>]*data-testid=\"report-target\"").matcher(svg);
        assertThat(line.find()).as("the target line is drawn").isTrue();
        List<Box> figures = new ArrayList<>();
        Matcher t = Pattern.compile("<text x=\"([0-9.]+)\" y=\"([0-9.]+)\" text-anchor=\"middle\" font-size=\"([0-9]+)\"[^>]*data-testid=\"report-figure\">([^<]+)</text>").matcher(svg);
        while (t.find()) {
            figures.add(Box.of(Double.parseDouble(t.group(1)), Double.parseDouble(t.group(2)), Integer.parseInt(t.group(3)), t.group(4)));
        }
        return new Drawn(Double.parseDouble(line.group(1)), Double.parseDouble(line.group(2)), figures);
    }

    @Test
    void a_figure_just_under_the_target_keeps_clear_of_the_dashed_line_at_both_widths() {
        List<String> months = List.of("08/26", "09/26", "10/26", "11/26");
        for (AttendanceChart.Size size : AttendanceChart.Size.values()) {
            for (int tenths = 800; tenths <= 1000; tenths += 5) {
                double rate = tenths / 1000.0;
                Drawn drawn = draw(size, months, List.of(new AttendanceChart.Series("Chi bộ 1", List.of(rate, 0.5, 1.0, rate))), 0.9);

                assertThat(drawn.figures()).as("%s at %s: every bar has its figure", size, rate).hasSize(4);
                double lineTop = drawn.targetY() - drawn.strokeWidth() / 2;
                double lineBottom = drawn.targetY() + drawn.strokeWidth() / 2;
                for (Box b : drawn.figures()) {
                    boolean clear = b.bottom() + 1 <= lineTop || b.top() - 1 >= lineBottom;
                    assertThat(clear).as("%s at %s: figure %s against the line %s..%s", size, rate, b, lineTop, lineBottom).isTrue();
                    assertThat(b.top()).as("inside the chart").isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    @Test
    void a_figure_far_from_the_line_sits_right_above_its_bar() {
        Drawn drawn = draw(AttendanceChart.Size.WIDE, List.of("2026-11"), List.of(new AttendanceChart.Series("Chi bộ 1", List.of(0.5))), 0.9);

        // plot 16..246: a half-full bar's top is at 131, its figure's baseline 4 above
        assertThat(drawn.figures().get(0).bottom()).isCloseTo(127 + 0.1 * 12, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void side_by_side_figures_never_run_into_each_other_and_are_left_out_when_bars_are_too_narrow() {
        for (int units = 1; units <= AttendanceChart.COLOURS.size(); units++) {
            for (int monthCount = 1; monthCount <= 12; monthCount++) {
                List<String> months = new ArrayList<>();
                for (int i = 0; i < monthCount; i++) months.add(String.format("%02d/26", i + 1));
                List<AttendanceChart.Series> series = new ArrayList<>();
                for (int u = 0; u < units; u++) series.add(new AttendanceChart.Series("Chi bộ " + u, java.util.Collections.nCopies(monthCount, 1.0)));
                for (AttendanceChart.Size size : AttendanceChart.Size.values()) {
                    List<Box> figures = draw(size, months, series, 0.9).figures();
                    for (int i = 1; i < figures.size(); i++) {
                        assertThat(figures.get(i - 1).right()).as("%s, %d units, %d months", size, units, monthCount)
                                .isLessThanOrEqualTo(figures.get(i).left());
                    }
                }
            }
        }
    }
}
