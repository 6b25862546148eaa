package org.convene.schedule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One meeting day of a series: the day its rule gives ({@code ruleDate}, which names the occurrence
 * for good) and the day it is held after the holiday policy ({@code date}).
 */
public record Occurrence(LocalDate ruleDate, LocalDate date) {
    public boolean moved() {
        return !ruleDate.equals(date);
    }

    /**
     * The occurrences whose rule dates fall from {@code from} to {@code to}, with the policy applied.
     * Two never share a day: one moved onto a day the rule already meets on is dropped.
     */
    public static List<Occurrence> between(Recurrence rule, LocalDate anchor, LocalDate from, LocalDate to,
                                           HolidayPolicy policy, Predicate<LocalDate> isHoliday) {
        List<LocalDate> ruleDates = rule.dates(anchor, from, to);
        Set<LocalDate> taken = new HashSet<>(ruleDates.stream().filter(d -> !isHoliday.test(d) || policy == HolidayPolicy.ALLOW).toList());
        List<Occurrence> occurrences = new ArrayList<>();
        for (LocalDate ruleDate : ruleDates) {
            LocalDate held = policy.apply(ruleDate, isHoliday).orElse(null);
            if (held == null) continue;
            if (!held.equals(ruleDate) && !taken.add(held)) continue;
            occurrences.add(new Occurrence(ruleDate, held));
        }
        return occurrences;
    }
}
