package org.convene.meeting;

import java.time.Instant;

/** A decision of a meeting given to a member, carried into the next agendas until done. */
public record Task(long id, long unitId, long meetingId, String text, Long assigneeMemberId, String assigneeName, String due,
                   String state, Instant doneAt) {
    public static final String OPEN = "open";
    public static final String DONE = "done";
    /** A decision with nobody assigned: kept with the minutes, not a task. */
    public static final String NOTED = "noted";
}
