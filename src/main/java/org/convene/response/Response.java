package org.convene.response;

import java.time.Instant;

/**
 * A person's current answer to a meeting; {@code receivedAt} is set by a tap on Received or by any RSVP.
 * {@code documentsRevision} is the meeting's documents revision at the last answer (null before issue 20's data).
 */
public record Response(long meetingId, long personId, Instant receivedAt, String rsvp, String reasonCode, String reason,
                       String source, Instant respondedAt, Integer documentsRevision) {
    /** The answer acknowledged the documents as they are at {@code revision}: no paper changed since. */
    public boolean hasDocumentsOf(int revision) {
        return receivedAt != null && (documentsRevision == null ? 0 : documentsRevision) >= revision;
    }
}
