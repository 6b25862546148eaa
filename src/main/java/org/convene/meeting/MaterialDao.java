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
            INSERT INTO materials (meeting_id, filename, media_type, size, sha256, confidential, created_at)
            VALUES (:meetingId, :filename, :mediaType, :size, :sha256, :confidential, :now)""")
    @GetGeneratedKeys
    long insert(@Bind("meetingId") long meetingId, @Bind("filename") String filename, @Bind("mediaType") String mediaType,
                @Bind("size") long size, @Bind("sha256") String sha256, @Bind("confidential") int confidential,
                @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM materials WHERE id = :id")
    Optional<Material> find(@Bind("id") long id);

    /** Several materials in one query (the documents of a batch of deliveries). */
    @SqlQuery("SELECT * FROM materials WHERE id IN (<ids>)")
    List<Material> findAll(@org.jdbi.v3.sqlobject.customizer.BindList("ids") java.util.Collection<Long> ids);

    @SqlQuery("SELECT * FROM materials WHERE meeting_id = :meetingId ORDER BY id")
    List<Material> ofMeeting(@Bind("meetingId") long meetingId);
}
