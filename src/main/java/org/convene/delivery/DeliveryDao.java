package org.convene.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Delivery.class)
public interface DeliveryDao {
    // The hottest statements are run as plain statements (h.createUpdate(DeliveryDao.X)), not through this SQL
    // object: attaching it builds a handler for each of its methods, which cost more than these statements
    // when a wave adds thousands of rows and sends a thousand a second.

    /**
     * Adds the delivery unless one with the same idempotency key exists; 1 when added. It may go at once:
     * {@code :dueAt} is its deadline (a wave fired early by pre-roll is sent before it).
     */
    String INSERT_IF_ABSENT = """
            INSERT INTO deliveries (meeting_id, reminder_id, chat_id, kind, part, payload, idempotency_key, state,
                                    attempts, due_at, next_attempt_at, created_at)
            VALUES (:meetingId, :reminderId, :chatId, :kind, :part, :payload, :key, 'queued', 0, :dueAt, :now, :now)
            ON CONFLICT (idempotency_key) DO NOTHING""";

    /** Like {@link #INSERT_IF_ABSENT}, with a first attempt not before {@code :notBefore} (a debounced tally edit). */
    String INSERT_NOT_BEFORE = """
            INSERT INTO deliveries (meeting_id, reminder_id, chat_id, kind, part, payload, idempotency_key, state,
                                    attempts, due_at, next_attempt_at, created_at)
            VALUES (:meetingId, NULL, :chatId, :kind, 0, :payload, :key, 'queued', 0, :notBefore, :notBefore, :now)
            ON CONFLICT (idempotency_key) DO NOTHING""";

    /**
     * Queued deliveries whose next attempt has come, earliest deadline first. The unary plus keeps SQLite
     * from answering through deliveries(state, next_attempt_at), which would sort the whole queue: it walks
     * deliveries(state, due_at) in order instead and stops after the batch. PostgreSQL reads it as written.
     * Each comes with its meeting's unit, which the dispatcher shares the rate between.
     */
    String DUE = """
            SELECT d.*, m.unit_id FROM deliveries d JOIN meetings m ON m.id = d.meeting_id
            WHERE d.state = 'queued' AND +d.next_attempt_at <= :now
            ORDER BY d.due_at, d.id LIMIT :limit""";

    /** {@link #DUE}, past the deliveries of some units (those flooding the batch). */
    String DUE_OF_OTHER_UNITS = """
            SELECT d.*, m.unit_id FROM deliveries d JOIN meetings m ON m.id = d.meeting_id
            WHERE d.state = 'queued' AND +d.next_attempt_at <= :now AND m.unit_id NOT IN (<units>)
            ORDER BY d.due_at, d.id LIMIT :limit""";

    /** Moves a queued delivery to sending; 0 when another dispatcher took it first. */
    String CLAIM = "UPDATE deliveries SET state = 'sending', attempts = attempts + 1 WHERE id = :id AND state = 'queued'";

    String MARK_SENT = """
            UPDATE deliveries SET state = 'sent', platform_message_id = :messageId, sent_at = :now, last_error = NULL
            WHERE id = :id""";

    /** When the dispatcher next has something to try. */
    String NEXT_ATTEMPT = "SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'queued'";

    /** The delivery that posted a given platform message into a chat (to know what a reply answers). */
    @SqlQuery("SELECT * FROM deliveries WHERE chat_id = :c AND platform_message_id = :messageId ORDER BY id DESC LIMIT 1")
    Optional<Delivery> byPlatformMessage(@Bind("c") long chatId, @Bind("messageId") String platformMessageId);

    /** {@link #CLAIM}, for tests that stage a crash. */
    @SqlUpdate(CLAIM)
    int claim(@Bind("id") long id);

    @SqlUpdate("UPDATE deliveries SET state = 'queued', next_attempt_at = :at, last_error = :error WHERE id = :id")
    void retryAt(@Bind("id") long id, @Bind("at") Instant at, @Bind("error") String error);

    /** A rate-limit wait is the platform's pace, not a failed attempt: the attempt is given back. */
    @SqlUpdate("""
            UPDATE deliveries SET state = 'queued', next_attempt_at = :at, attempts = attempts - 1, last_error = :error
            WHERE id = :id""")
    void waitUntil(@Bind("id") long id, @Bind("at") Instant at, @Bind("error") String error);

    /**
     * Gives back a claim that was never tried (an earlier message of its chat did not go): queued again
     * from {@code at}, without counting an attempt.
     */
    @SqlUpdate("""
            UPDATE deliveries SET state = 'queued', attempts = attempts - 1, next_attempt_at = :at
            WHERE id = :id AND state = 'sending'""")
    void release(@Bind("id") long id, @Bind("at") Instant at);

    /** Not yet tried: the platform asked us to hold back, so the next attempt waits without counting one. */
    @SqlUpdate("UPDATE deliveries SET next_attempt_at = :at WHERE id = :id AND state = 'queued'")
    void postpone(@Bind("id") long id, @Bind("at") Instant at);

    @SqlUpdate("UPDATE deliveries SET state = 'failed', last_error = :error WHERE id = :id")
    void markFailed(@Bind("id") long id, @Bind("error") String error);

    /**
     * After a crash, deliveries caught in {@code sending} may or may not have reached the chat; they go
     * out again (the only duplicates a crash can cause are these in-flight messages).
     */
    @SqlUpdate("UPDATE deliveries SET state = 'queued' WHERE state = 'sending'")
    int requeueInFlight();

    @SqlQuery("SELECT * FROM deliveries WHERE meeting_id = :meetingId ORDER BY id")
    List<Delivery> ofMeeting(@Bind("meetingId") long meetingId);

    @SqlQuery("SELECT * FROM deliveries WHERE id = :id")
    Optional<Delivery> find(@Bind("id") long id);

    @SqlQuery("SELECT COUNT(*) FROM deliveries WHERE state = :state")
    long count(@Bind("state") String state);

    @SqlQuery("SELECT COUNT(*) FROM deliveries WHERE meeting_id = :meetingId AND kind = 'agenda' AND state IN ('sent', 'sending')")
    int agendasOut(@Bind("meetingId") long meetingId);

    @SqlUpdate("INSERT INTO platform_files (platform, account, sha256, file_id, created_at) VALUES (:p, :a, :s, :f, :now) ON CONFLICT DO NOTHING")
    void rememberFile(@Bind("p") String platform, @Bind("a") String account, @Bind("s") String sha256,
                      @Bind("f") String fileId, @Bind("now") Instant now);

    @SqlQuery("SELECT file_id FROM platform_files WHERE platform = :p AND account = :a AND sha256 = :s")
    Optional<String> knownFile(@Bind("p") String platform, @Bind("a") String account, @Bind("s") String sha256);

    /** Failed deliveries of the units' meetings that start after {@code since}: what the secretary's home page flags. */
    @SqlQuery("""
            SELECT d.* FROM deliveries d JOIN meetings m ON m.id = d.meeting_id
            WHERE d.state = 'failed' AND m.unit_id IN (<units>) AND m.starts_at >= :since ORDER BY d.id DESC LIMIT 50""")
    List<Delivery> failedOfUnits(@org.jdbi.v3.sqlobject.customizer.BindList("units") List<Long> unitIds, @Bind("since") Instant since);
}
