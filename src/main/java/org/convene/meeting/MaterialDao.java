package org.convene.meeting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Material.class)
public interface MaterialDao {
    /** {@code confidential} is 0 or 1: flags are SMALLINT so the same SQL runs on SQLite and PostgreSQL. */
    @SqlUpdate("""
            INSERT INTO materials (meeting_id, filename, media_type, size, sha256, confidential, created_at, version, observers_may_view)
            VALUES (:meetingId, :filename, :mediaType, :size, :sha256, :confidential, :now, 1, :observers)""")
    @GetGeneratedKeys
    long insert(@Bind("meetingId") long meetingId, @Bind("filename") String filename, @Bind("mediaType") String mediaType,
                @Bind("size") long size, @Bind("sha256") String sha256, @Bind("confidential") int confidential,
                @Bind("now") Instant now, @Bind("observers") int observersMayView);

    default long insert(long meetingId, String filename, String mediaType, long size, String sha256, int confidential, Instant now) {
        return insert(meetingId, filename, mediaType, size, sha256, confidential, now, 0);
    }

    /** A first version is its own document. */
    @SqlUpdate("UPDATE materials SET document_id = id WHERE id = :id AND document_id IS NULL")
    void ownDocument(@Bind("id") long id);

    /** The next version of a document: same meeting, same confidentiality, the next number. */
    @SqlUpdate("""
            INSERT INTO materials (meeting_id, filename, media_type, size, sha256, confidential, created_at, document_id, version, observers_may_view)
            VALUES (:meetingId, :filename, :mediaType, :size, :sha256, :confidential, :now, :documentId, :version, :observers)""")
    @GetGeneratedKeys
    long insertVersion(@Bind("meetingId") long meetingId, @Bind("filename") String filename, @Bind("mediaType") String mediaType,
                       @Bind("size") long size, @Bind("sha256") String sha256, @Bind("confidential") int confidential,
                       @Bind("now") Instant now, @Bind("documentId") long documentId, @Bind("version") int version,
                       @Bind("observers") int observersMayView);

    /** Marks a version replaced; 0 when it was replaced already (two replacements racing: one wins). */
    @SqlUpdate("UPDATE materials SET replaced_at = :now WHERE id = :id AND replaced_at IS NULL")
    int markReplaced(@Bind("id") long id, @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM materials WHERE id = :id")
    Optional<Material> find(@Bind("id") long id);

    /** Several materials in one query (the documents of a batch of deliveries). */
    @SqlQuery("SELECT * FROM materials WHERE id IN (<ids>)")
    List<Material> findAll(@org.jdbi.v3.sqlobject.customizer.BindList("ids") java.util.Collection<Long> ids);

    /** The current version of each of the meeting's documents. */
    @SqlQuery(Material.CURRENT_OF_MEETING)
    List<Material> ofMeeting(@Bind("meetingId") long meetingId);

    /** Every version of a document, the first first. */
    @SqlQuery("SELECT * FROM materials WHERE COALESCE(document_id, id) = :documentId ORDER BY version")
    List<Material> versions(@Bind("documentId") long documentId);

    /** The current version of a document. */
    @SqlQuery("SELECT * FROM materials WHERE COALESCE(document_id, id) = :documentId AND replaced_at IS NULL")
    Optional<Material> current(@Bind("documentId") long documentId);
}
