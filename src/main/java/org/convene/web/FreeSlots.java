package org.convene.web;

import java.time.Instant;
import java.util.List;
import org.convene.meeting.Unit;

/**
 * Free times for a unit's next meeting, offered by the meeting editor's picker. The pages need only this
 * much of a slot finder; the full one (holidays, the units above) plugs in here.
 */
public interface FreeSlots {
    /** A free time; {@code why} is {@code evening}, {@code weekend} or {@code holiday}. */
    record Slot(Instant start, Instant end, String why) {}

    /** Free slots starting in [from, to), earliest first. */
    List<Slot> find(Unit unit, Instant from, Instant to, int durationMinutes);
}
