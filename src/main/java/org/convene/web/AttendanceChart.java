package org.convene.web;

import java.util.List;
import java.util.Locale;

/**
 * The monthly attendance rate per unit against the target, as SVG drawn on the server: grouped bars per
 * month, a dashed target line, a title and description for screen readers. No script, no outside font.
 */
final class AttendanceChart {
    /** Colour-blind-safe (Okabe–Ito), each dark enough against white for the bars' 3:1 contrast. */
    static final List<String> COLOURS = List.of("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9");

    /** Drawn twice, each shown at its own width, so the text stays readable on a phone and on a desktop. */
    enum Size {
        NARROW(360, 240, 11, "chart-narrow"), WIDE(640, 280, 12, "chart-wide");

        final int width;
        final int height;
        final int font;
        final String cssClass;

        Size(int width, int height, int font, String cssClass) {
            this.width = width;
            this.height = height;
            this.font = font;
            this.cssClass = cssClass;
        }
    }

    private static final int LEFT = 40;
    private static final int RIGHT = 12;
    private static final int TOP = 16;
    private static final int BOTTOM = 34;
    /** The target line's stroke, and the least room kept between it and a bar's figure. */
    static final double TARGET_STROKE = 2;
    static final double LINE_CLEARANCE = 2;
    /** Space between a bar's top and its figure's baseline. */
    static final double LABEL_GAP = 4;
    /**
     * How far digits and "%" reach above and below the baseline, and their advance, in em: DejaVu Sans
     * (what a phone or a Linux browser falls back to) is among the widest; other sans fonts are smaller.
     */
    static final double GLYPH_ASCENT = 0.76;
    static final double GLYPH_DESCENT = 0.06;
    static final double DIGIT_ADVANCE = 0.64;
    static final double PERCENT_ADVANCE = 0.95;

    /** One unit's line: its name and a rate (0–1) per month, null where it held no meeting, NaN where it was not in the tree shown. */
    record Series(String name, List<Double> rates) {}

    private AttendanceChart() {}

    static String svg(Size size, String title, String description, List<String> months, List<Series> series, double target,
                      String targetLabel, String noMeetingMark) {
        final int width = size.width;
        final int height = size.height;
        final String font = String.valueOf(size.font);
        String id = size.name().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart ").append(size.cssClass).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"chart-title-").append(id).append(" chart-desc-").append(id)
                .append("\" data-testid=\"report-chart-").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<title id=\"chart-title-").append(id).append("\">").append(esc(title)).append("</title>");
        b.append("<desc id=\"chart-desc-").append(id).append("\">").append(esc(description)).append("</desc>");
        int plotW = width - LEFT - RIGHT;
        int plotH = height - TOP - BOTTOM;
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = TOP + plotH * (1 - pct / 100.0);
            b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"#d5dbe3\" stroke-width=\"1\"/>");
            b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\" font-size=\"" + font + "\" fill=\"#4a5868\">")
                    .append(pct).append("%</text>");
        }
        int groups = Math.max(1, months.size());
        double groupW = (double) plotW / groups;
        int n = Math.max(1, series.size());
        double barW = Math.min(48, groupW * 0.8 / n);
        double ty = TOP + plotH * (1 - target);
        // figures only when the widest fits its bar: side by side they would run into each other
        boolean figures = labelWidth("100%", size.font) <= barW - 2;
        for (int g = 0; g < months.size(); g++) {
            double groupX = LEFT + g * groupW;
            double start = groupX + (groupW - barW * n) / 2;
            for (int si = 0; si < series.size(); si++) {
                Double rate = series.get(si).rates().get(g);
                double x = start + si * barW;
                if (rate != null && rate.isNaN()) continue;
                if (rate == null) {
                    b.append("<text x=\"").append(f(x + barW / 2)).append("\" y=\"").append(f(TOP + plotH - 4))
                            .append("\" text-anchor=\"middle\" font-size=\"" + font + "\" fill=\"#4a5868\">").append(esc(noMeetingMark)).append("</text>");
                    continue;
                }
                double h = plotH * Math.max(0, Math.min(1, rate));
                String pct = Math.round(rate * 100) + "%";
                b.append("<rect x=\"").append(f(x + 1)).append("\" y=\"").append(f(TOP + plotH - h)).append("\" width=\"").append(f(Math.max(1, barW - 2)))
                        .append("\" height=\"").append(f(h)).append("\" fill=\"").append(COLOURS.get(si % COLOURS.size())).append("\" rx=\"2\">")
                        .append("<title>").append(esc(series.get(si).name() + " · " + months.get(g) + ": " + pct)).append("</title></rect>");
                if (figures) {
                    b.append("<text x=\"").append(f(x + barW / 2)).append("\" y=\"").append(f(labelBaseline(TOP + plotH - h, ty, size.font)))
                            .append("\" text-anchor=\"middle\" font-size=\"" + font + "\" fill=\"#1b2733\" data-testid=\"report-figure\">").append(pct).append("</text>");
                }
            }
            b.append("<text x=\"").append(f(groupX + groupW / 2)).append("\" y=\"").append(height - 12)
                    .append("\" text-anchor=\"middle\" font-size=\"" + font + "\" fill=\"#1b2733\">").append(esc(months.get(g))).append("</text>");
        }
        b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"").append(f(ty)).append("\" y2=\"").append(f(ty))
                .append("\" stroke=\"#b3261e\" stroke-width=\"" + f(TARGET_STROKE) + "\" stroke-dasharray=\"6 4\" data-testid=\"report-target\">")
                // the legend under the chart names the line: a label drawn on it sat over the newest bar's figure on a phone
                .append("<title>").append(esc(targetLabel)).append("</title></line>");
        b.append("</svg>");
        return b.toString();
    }

    /**
     * A bar's figure sits just above its bar, unless there it would touch the dashed target line (a rate
     * just under the target, 88 %: the line runs right over the bar's top): then it sits just above the line.
     */
    static double labelBaseline(double barTop, double targetY, int font) {
        double baseline = barTop - LABEL_GAP;
        double lineTop = targetY - TARGET_STROKE / 2 - LINE_CLEARANCE;
        double lineBottom = targetY + TARGET_STROKE / 2 + LINE_CLEARANCE;
        boolean touches = baseline + font * GLYPH_DESCENT > lineTop && baseline - font * GLYPH_ASCENT < lineBottom;
        return touches ? lineTop - font * GLYPH_DESCENT : baseline;
    }

    /** How wide a figure such as "100%" is drawn, at most. */
    static double labelWidth(String figure, int font) {
        double em = 0;
        for (char c : figure.toCharArray()) em += c == '%' ? PERCENT_ADVANCE : DIGIT_ADVANCE;
        return em * font;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for SVG markup: the chart is inserted into the page unescaped, so everything in it is escaped here. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
