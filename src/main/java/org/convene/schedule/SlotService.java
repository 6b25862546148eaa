package org.convene.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.convene.meeting.MeetingDao;
import org.convene.meeting.Unit;
import org.convene.meeting.UnitDao;
import org.jdbi.v3.core.Jdbi;

/** Free slots of a unit: its meetings and those of every unit above it are busy; its own past replies rank the rest. */
public final class SlotService {
    private static final Duration HISTORY = Duration.ofDays(2 * 366);

    private final Jdbi jdbi;
    private final Clock clock;
    private final PublicHolidays holidays;
    private final QuietHours quiet;
    private final SlotFinder finder;

    public SlotService(Jdbi jdbi, Clock clock, PublicHolidays holidays, QuietHours quiet, SlotFinder.Windows windows) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.holidays = holidays;
        this.quiet = quiet;
        this.finder = new SlotFinder(windows);
    }

    /** Slots from {@code from} (never before now) to {@code to} for a meeting of {@code minutes}. */
    public List<SlotFinder.Slot> free(Unit unit, Instant from, Instant to, int minutes) {
        Instant now = clock.instant();
        Instant start = from.isBefore(now) ? now : from;
        ZoneId zone = unit.zone();
        return jdbi.withHandle(h -> {
            List<Long> above = h.attach(UnitDao.class).ancestorIds(unit.id());
            // a meeting that began up to a day before the range may still run into it
            List<SlotFinder.Busy> busy = new MeetingDao(h).list(above, start.minus(Duration.ofDays(1)), to).stream()
                    .filter(m -> !m.cancelled())
                    .map(m -> new SlotFinder.Busy(m.startsAt(), m.startsAt().plus(Duration.ofMinutes(m.durationMinutes()))))
                    .toList();
            List<SlotFinder.Past> history = h.createQuery("""
                            SELECT m.starts_at, (SELECT COUNT(*) FROM responses r WHERE r.meeting_id = m.id AND r.rsvp = 'yes') AS yes
                            FROM meetings m WHERE m.unit_id = :unit AND m.status <> 'cancelled' AND m.starts_at < :now AND m.starts_at >= :since""")
                    .bind("unit", unit.id()).bind("now", now).bind("since", now.minus(HISTORY))
                    .map((rs, ctx) -> new SlotFinder.Past(Instant.ofEpochMilli(rs.getLong(1)).atZone(zone).toLocalDateTime(), rs.getInt(2)))
                    .list();
            String country = holidays.defaultCountry();
            return finder.find(new SlotFinder.Search(start, to, zone, Duration.ofMinutes(minutes), d -> holidays.isHoliday(country, d), quiet,
                    busy, history));
        });
    }
}
