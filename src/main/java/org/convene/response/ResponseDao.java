package org.convene.response;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Response.class)
public interface ResponseDao {
    /**
     * Also run as plain statements when an answer is recorded: attaching this DAO cost more than its two
     * inserts. Every answer acknowledges the documents as they are now (the meeting's documents revision).
     */
    String UPSERT = """
            INSERT INTO responses (meeting_id, person_id, received_at, rsvp, reason_code, reason, source, responded_at, documents_revision)
            VALUES (:m, :p, :receivedAt, :rsvp, :reasonCode, :reason, :source, :at, (SELECT documents_revision FROM meetings WHERE id = :m))
            ON CONFLICT (meeting_id, person_id) DO UPDATE SET
              documents_revision = excluded.documents_revision,
              received_at = COALESCE(responses.received_at, excluded.received_at),
              rsvp = COALESCE(excluded.rsvp, responses.rsvp),
              reason_code = CASE WHEN excluded.rsvp IS NULL THEN responses.reason_code ELSE excluded.reason_code END,
              reason = CASE WHEN excluded.rsvp IS NULL THEN responses.reason ELSE excluded.reason END,
              source = excluded.source,
              responded_at = excluded.responded_at""";
    String HISTORY = """
            INSERT INTO response_history (meeting_id, person_id, action, rsvp, reason_code, reason, source, at)
            VALUES (:m, :p, :action, :rsvp, :reasonCode, :reason, :source, :at)""";

    @SqlQuery("SELECT meeting_id, person_id, received_at, rsvp, reason_code, reason, source, responded_at, documents_revision FROM responses WHERE meeting_id = :m AND person_id = :p")
    Optional<Response> find(@Bind("m") long meetingId, @Bind("p") long personId);

    @SqlQuery("SELECT meeting_id, person_id, received_at, rsvp, reason_code, reason, source, responded_at, documents_revision FROM responses WHERE meeting_id = :m")
    List<Response> ofMeeting(@Bind("m") long meetingId);

    @SqlUpdate(UPSERT)
    void upsert(@Bind("m") long meetingId, @Bind("p") long personId, @Bind("receivedAt") Instant receivedAt,
                @Bind("rsvp") String rsvp, @Bind("reasonCode") String reasonCode, @Bind("reason") String reason,
                @Bind("source") String source, @Bind("at") Instant at);

    @SqlUpdate(HISTORY)
    void history(@Bind("m") long meetingId, @Bind("p") long personId, @Bind("action") String action, @Bind("rsvp") String rsvp,
                 @Bind("reasonCode") String reasonCode, @Bind("reason") String reason, @Bind("source") String source,
                 @Bind("at") Instant at);

    @SqlQuery("SELECT COUNT(*) FROM response_history WHERE meeting_id = :m AND person_id = :p")
    int historyCount(@Bind("m") long meetingId, @Bind("p") long personId);
}
