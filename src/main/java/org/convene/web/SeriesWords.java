package org.convene.web;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.meeting.Meeting;
import org.convene.schedule.SeriesDefinition;
import org.convene.schedule.SeriesService;

/**
 * A series' rule in words for the pages, in the viewer's language: "Every month on the first Sunday at
 * 19:30, moved to the next day on a public holiday, until 30 Jun 2027". The rules the editor makes, and
 * the simple ones people write by hand, read as words; anything else is shown as the RRULE itself.
 */
final class SeriesWords {
    /** RFC 5545's weekday codes in ISO order, Monday first. */
    static final List<String> CODES = List.of("MO", "TU", "WE", "TH", "FR", "SA", "SU");
    private static final Pattern BYDAY = Pattern.compile("([+-]?\\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)");
    private static final Set<String> PLAIN = Set.of("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST");

    private final Pages pages;

    SeriesWords(Pages pages) {
        this.pages = pages;
    }

    /**
     * On a meeting's pages: {@code seriesLine}, the series it belongs to in words, and {@code seriesException}
     * when it was changed by hand (the series leaves it alone); nothing for a one-off meeting.
     */
    void addTo(Map<String, Object> model, SeriesService series, Meeting meeting, String lang) {
        series.ofMeeting(meeting.id()).ifPresent(in -> {
            model.put("seriesLine", pages.text(lang, "series_line", describe(in.definition(), in.series().until(), lang)));
            model.put("seriesException", in.exception());
            // a series still going past this meeting may be ended after it; one ended on or before its day has nothing to end
            boolean goesOn = in.series().until() == null || in.series().until().isAfter(in.occurrenceDate());
            if (goesOn && !meeting.cancelled()) model.put("seriesEndable", true);
            // a meeting the series still makes may pass a change on to the ones after it
            if (goesOn && !meeting.cancelled() && !in.exception()) model.put("seriesScope", true);
        });
    }

    static String code(DayOfWeek day) {
        return CODES.get(day.getValue() - 1);
    }

    /** Which of its weekdays in the month {@code date} is: 1–4, or −1 for a fifth one (the last; a fifth comes only some months). */
    static int weekOfMonth(LocalDate date) {
        int nth = (date.getDayOfMonth() - 1) / 7 + 1;
        return nth == 5 ? -1 : nth;
    }

    /** "the first Sunday" / "Chủ nhật đầu tiên" for {@code date}: what a monthly rule by weekday made from it says. */
    String weekdayOfMonth(LocalDate date, String lang) {
        return nth(weekOfMonth(date), code(date.getDayOfWeek()), lang);
    }

    String weekday(DayOfWeek day, String lang) {
        return pages.text(lang, "wd_" + code(day));
    }

    /**
     * @param d     the series' definition in force on the meeting's day
     * @param until the day the series was ended after, or null
     */
    String describe(SeriesDefinition d, LocalDate until, String lang) {
        Map<String, String> parts = parts(d.rrule());
        int interval = 1;
        try {
            interval = Math.max(1, Integer.parseInt(parts.getOrDefault("INTERVAL", "1")));
        } catch (NumberFormatException e) {
            // the service refuses such a rule; read it as every period
        }
        String core = d.lunarDay() != null ? every(lang, "monthly", interval, pages.text(lang, "rule_lunar", d.lunarDay())) : core(parts, d, interval, lang);
        List<String> pieces = new ArrayList<>();
        pieces.add(capitalise(core) + " " + pages.text(lang, "rule_at", d.startTime()));
        String policy = d.policy().wire();
        if (!policy.equals("allow")) pieces.add(pages.text(lang, "rule_policy_" + policy));
        if (parts.containsKey("COUNT")) pieces.add(pages.text(lang, "rule_count", parts.get("COUNT")));
        LocalDate last = untilOf(parts.get("UNTIL"));
        if (until != null && (last == null || until.isBefore(last))) last = until;
        if (last != null) pieces.add(pages.text(lang, "rule_until", Pages.plainDate(last, lang)));
        return String.join(", ", pieces);
    }

    private String core(Map<String, String> parts, SeriesDefinition d, int interval, String lang) {
        String freq = parts.getOrDefault("FREQ", "");
        Set<String> extra = new java.util.HashSet<>(parts.keySet());
        extra.removeAll(PLAIN);
        LocalDate anchor = d.anchorDate();
        switch (freq) {
            case "DAILY" -> {
                if (extra.isEmpty()) return interval == 1 ? pages.text(lang, "rule_daily") : pages.text(lang, "rule_daily_n", interval);
            }
            case "WEEKLY" -> {
                if (extra.isEmpty()) return every(lang, "weekly", interval, weekday(anchor.getDayOfWeek(), lang));
                if (extra.equals(Set.of("BYDAY"))) {
                    List<String> names = new ArrayList<>();
                    for (String day : parts.get("BYDAY").split(",")) {
                        Matcher m = BYDAY.matcher(day.strip());
                        if (!m.matches() || m.group(1) != null) return other(d, lang);
                        names.add(pages.text(lang, "wd_" + m.group(2)));
                    }
                    return every(lang, "weekly", interval, String.join(", ", names));
                }
            }
            case "MONTHLY" -> {
                if (extra.isEmpty()) return every(lang, "monthly", interval, pages.text(lang, "rule_monthday", anchor.getDayOfMonth()));
                if (extra.equals(Set.of("BYDAY"))) {
                    Matcher m = BYDAY.matcher(parts.get("BYDAY").strip());
                    if (m.matches() && m.group(1) != null) {
                        int nth = Integer.parseInt(m.group(1));
                        if (nth == -1 || (nth >= 1 && nth <= 5)) return every(lang, "monthly", interval, nth(nth, m.group(2), lang));
                    }
                }
                if (extra.equals(Set.of("BYMONTHDAY")) && parts.get("BYMONTHDAY").matches("-?\\d{1,2}")) {
                    int day = Integer.parseInt(parts.get("BYMONTHDAY"));
                    if (day == -1) return every(lang, "monthly", interval, pages.text(lang, "rule_monthday_last"));
                    if (day >= 1 && day <= 31) return every(lang, "monthly", interval, pages.text(lang, "rule_monthday", day));
                }
            }
            case "YEARLY" -> {
                if (extra.isEmpty() && interval == 1) {
                    String day = anchor.format(lang.equals("vi") ? DateTimeFormatter.ofPattern("dd/MM") : DateTimeFormatter.ofPattern("d MMMM", Locale.ENGLISH));
                    return pages.text(lang, "rule_yearly", day);
                }
            }
            default -> {
                // not a rule the service takes; shown as written
            }
        }
        return other(d, lang);
    }

    private String every(String lang, String what, int interval, String on) {
        return interval == 1 ? pages.text(lang, "rule_" + what, on) : pages.text(lang, "rule_" + what + "_n", interval, on);
    }

    private String nth(int nth, String code, String lang) {
        return pages.text(lang, "rule_nth_" + (nth == -1 ? "last" : String.valueOf(nth)), pages.text(lang, "wd_" + code));
    }

    private String other(SeriesDefinition d, String lang) {
        return pages.text(lang, "rule_other", d.rrule());
    }

    /** The rule's parts by name, upper-cased: FREQ=MONTHLY;BYDAY=1SU → {FREQ: MONTHLY, BYDAY: 1SU}. */
    static Map<String, String> parts(String rrule) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (rrule == null) return parts;
        String text = rrule.strip();
        if (text.regionMatches(true, 0, "RRULE:", 0, 6)) text = text.substring(6);
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) parts.put(part.substring(0, eq).strip().toUpperCase(Locale.ROOT), part.substring(eq + 1).strip().toUpperCase(Locale.ROOT));
        }
        return parts;
    }

    /** UNTIL as a day: 20270630 or 20270630T235959Z. */
    private static LocalDate untilOf(String value) {
        if (value == null || value.length() < 8) return null;
        try {
            return LocalDate.parse(value.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
