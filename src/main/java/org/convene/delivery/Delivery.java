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

    /** A delivery read from a row, by hand: the dispatcher reads a batch of them on every pass, and a reflective mapper costs more than the query. */
    public static final org.jdbi.v3.core.mapper.RowMapper<Delivery> ROW = (rs, ctx) -> new Delivery(rs.getLong("id"), rs.getLong("meeting_id"),
            nullableLong(rs, "reminder_id"), rs.getLong("chat_id"), rs.getString("kind"), rs.getInt("part"), rs.getString("payload"),
            rs.getString("idempotency_key"), rs.getString("state"), rs.getInt("attempts"), instant(rs, "due_at"), instant(rs, "next_attempt_at"),
            rs.getString("platform_message_id"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "sent_at"));

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
