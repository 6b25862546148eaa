package org.convene.response;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.convene.meeting.ConveneException;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingDao;
import org.convene.store.AuditLog;
import org.jdbi.v3.core.Jdbi;

/** Observers' short feedback on a pilot meeting, given by replying to the bot's question in their chat. */
public final class FeedbackService {
    private final Jdbi jdbi;
    private final Clock clock;

    public FeedbackService(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record Feedback(long memberId, String name, String text, Instant at) {}

    /** Stores the feedback of a member of one of the meeting's observer units; false for anyone else. */
    boolean give(String actor, Meeting meeting, long personId, String text) {
        if (text == null || text.isBlank()) return false;
        boolean observer = jdbi.withHandle(h -> meeting.observerUnitIds().stream().anyMatch(u -> new org.convene.meeting.MemberDao(h).find(u, personId).isPresent()));
        if (!observer) return false;
        Instant now = clock.instant();
        String clipped = text.strip().length() > 2000 ? text.strip().substring(0, 2000) : text.strip();
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO feedback (meeting_id, person_id, text, at) VALUES (:m, :p, :t, :now)")
                    .bind("m", meeting.id()).bind("p", personId).bind("t", clipped).bind("now", now).execute();
            AuditLog.record(h, now, actor, "feedback.given", "meeting", meeting.id(), "person " + personId);
        });
        return true;
    }

    public List<Feedback> of(long meetingId) {
        jdbi.withHandle(h -> new MeetingDao(h).find(meetingId)).orElseThrow(() -> new ConveneException.NotFound("meeting", meetingId));
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT f.person_id, p.name, f.text, f.at FROM feedback f JOIN persons p ON p.id = f.person_id
                        WHERE f.meeting_id = :m ORDER BY f.id""").bind("m", meetingId)
                .map((rs, ctx) -> new Feedback(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)))).list());
    }
}
