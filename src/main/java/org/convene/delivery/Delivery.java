package org.convene.delivery;

import java.time.Instant;

/** One message to one chat in the outbox. {@code dueAt} is the deadline the wave is ordered by. */
public record Delivery(long id, long meetingId, Long reminderId, long chatId, String kind, int part, String payload,
                       String idempotencyKey, String state, int attempts, Instant dueAt, Instant nextAttemptAt,
                       String platformMessageId, String lastError, Instant createdAt, Instant sentAt) {
    public static final String QUEUED = "queued";
    public static final String SENDING = "sending";
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
}
