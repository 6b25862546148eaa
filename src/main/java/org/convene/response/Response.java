package org.convene.response;

import java.time.Instant;

/** A person's current answer to a meeting; {@code receivedAt} is set by a tap on Received or by any RSVP. */
public record Response(long meetingId, long personId, Instant receivedAt, String rsvp, String reasonCode, String reason,
                       String source, Instant respondedAt) {}
