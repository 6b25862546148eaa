package org.convene.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Free times for a meeting when members are off work: weekday evenings, weekends and public holidays,
 * in windows the operator sets; never overlapping a meeting it is told of, never touching quiet hours.
 * Candidates start every half hour. When the unit has a history, times like those at which more members
 * said "yes" come first.
 */
public final class SlotFinder {
    static final Duration STEP = Duration.ofMinutes(30);
    /** How far from a past meeting's start time a candidate may be and still count as "a similar time". */
    static final Duration SIMILAR = Duration.ofMinutes(60);

    /** Why a time is free of work. */
    public enum Why {
        EVENING, WEEKEND, HOLIDAY;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A local time window within a day, such as 19:00–21:30. */
    public record Window(LocalTime start, LocalTime end) {
        public Window {
            if (!start.isBefore(end)) throw new IllegalArgumentException("a window must end after it starts: " + start + "-" + end);
        }

        /** "19:00-21:30". */
        public static Window parse(String text) {
            String[] parts = text.strip().split("\\s*-\\s*");
            if (parts.length != 2) throw new IllegalArgumentException("write a window as HH:MM-HH:MM: " + text);
            return new Window(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** The weekday evening window, and the daytime windows of weekends and holidays. */
    public record Windows(Window evening, List<Window> daytime) {
        public static final Windows DEFAULT = new Windows(new Window(LocalTime.of(19, 0), LocalTime.of(21, 30)),
                List.of(new Window(LocalTime.of(8, 0), LocalTime.of(11, 30)), new Window(LocalTime.of(14, 0), LocalTime.of(17, 0))));

        public Windows {
            daytime = List.copyOf(daytime);
        }
    }

    /** A time taken by a meeting. */
    public record Busy(Instant start, Instant end) {}

    /** A past meeting of the unit: when it began (local) and how many members said they would come. */
    public record Past(LocalDateTime localStart, int yes) {}

    /** A free time; {@code score} is the average "yes" count of past meetings at similar times (0 without history). */
    public record Slot(Instant start, Instant end, Why why, double score) {}

    /** What to look for, and what is already known. */
    public record Search(Instant from, Instant to, ZoneId zone, Duration length, Predicate<LocalDate> isHoliday, QuietHours quiet,
                         List<Busy> busy, List<Past> history) {}

    private final Windows windows;

    public SlotFinder(Windows windows) {
        this.windows = windows;
    }

    public List<Slot> find(Search s) {
        List<Slot> slots = new ArrayList<>();
        LocalDate last = s.to().atZone(s.zone()).toLocalDate();
        for (LocalDate day = s.from().atZone(s.zone()).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            Why why = s.isHoliday().test(day) ? Why.HOLIDAY : isWeekend(day) ? Why.WEEKEND : Why.EVENING;
            List<Window> open = why == Why.EVENING ? List.of(windows.evening()) : windows.daytime();
            for (Window w : open) {
                for (LocalTime t = w.start(); !t.plus(s.length()).isAfter(w.end()) && !t.plus(s.length()).isBefore(t); t = t.plus(STEP)) {
                    ZonedDateTime start = ZonedDateTime.of(day, t, s.zone());
                    Instant a = start.toInstant();
                    Instant b = a.plus(s.length());
                    if (a.isBefore(s.from()) || b.isAfter(s.to()) || clashes(a, b, s.busy()) || touchesQuietHours(a, b, s)) continue;
                    slots.add(new Slot(a, b, why, score(start.toLocalDateTime(), why, s)));
                    if (t.plus(STEP).isBefore(t)) break; // wrapped past midnight
                }
            }
        }
        slots.sort(Comparator.comparingDouble(Slot::score).reversed().thenComparing(Slot::start));
        return slots;
    }

    private static boolean isWeekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static boolean clashes(Instant a, Instant b, List<Busy> busy) {
        for (Busy m : busy) if (a.isBefore(m.end()) && m.start().isBefore(b)) return true;
        return false;
    }

    /** Quiet hours are checked every minute of the slot's span, start included, end excluded. */
    private static boolean touchesQuietHours(Instant a, Instant b, Search s) {
        if (!s.quiet().enabled()) return false;
        for (Instant t = a; t.isBefore(b); t = t.plus(Duration.ofMinutes(1))) if (s.quiet().contains(t, s.zone())) return true;
        return false;
    }

    /** The average "yes" of past meetings on the same kind of day that began within an hour of this time of day. */
    private static double score(LocalDateTime start, Why why, Search s) {
        int n = 0;
        int yes = 0;
        for (Past p : s.history()) {
            Why pastWhy = s.isHoliday().test(p.localStart().toLocalDate()) ? Why.HOLIDAY : isWeekend(p.localStart().toLocalDate()) ? Why.WEEKEND : Why.EVENING;
            if (pastWhy != why) continue;
            long minutes = Math.abs(Duration.between(p.localStart().toLocalTime(), start.toLocalTime()).toMinutes());
            if (minutes > SIMILAR.toMinutes()) continue;
            n++;
            yes += p.yes();
        }
        return n == 0 ? 0 : Math.round(10.0 * yes / n) / 10.0;
    }
}
