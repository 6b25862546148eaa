package org.convene.schedule;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/** What a series does with an occurrence that falls on a public holiday. */
public enum HolidayPolicy {
    /** Meet anyway: some cells prefer holidays, when nobody is at work. */
    ALLOW("allow"),
    SKIP("skip"),
    /** Move to the first following day that is not a holiday: 30/4 → 1/5 → 2/5. */
    NEXT_DAY("next-day"),
    PREVIOUS_DAY("previous-day");

    private static final int LONGEST_HOLIDAY_RUN = 31;
    private final String wire;

    HolidayPolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<HolidayPolicy> parse(String text) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(text)).findFirst();
    }

    /** The day the occurrence on {@code date} is held, or empty when it is skipped. */
    public Optional<LocalDate> apply(LocalDate date, Predicate<LocalDate> isHoliday) {
        if (this == ALLOW || !isHoliday.test(date)) return Optional.of(date);
        if (this == SKIP) return Optional.empty();
        LocalDate d = date;
        // bounded: even Tết with bridge days is far shorter; a misconfigured calendar must not loop forever
        for (int i = 0; i < LONGEST_HOLIDAY_RUN && isHoliday.test(d); i++) d = this == NEXT_DAY ? d.plusDays(1) : d.minusDays(1);
        return isHoliday.test(d) ? Optional.empty() : Optional.of(d);
    }
}
