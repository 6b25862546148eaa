package org.convene.meeting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Unit.class)
public interface UnitDao {
    @SqlUpdate("""
            INSERT INTO units (name, parent_id, timezone, locale, feed_token, created_at)
            VALUES (:name, :parentId, :timezone, :locale, :feedToken, :createdAt)""")
    @GetGeneratedKeys
    long insert(@Bind("name") String name, @Bind("parentId") Long parentId, @Bind("timezone") String timezone,
                @Bind("locale") String locale, @Bind("feedToken") String feedToken, @Bind("createdAt") Instant createdAt);

    @SqlUpdate("UPDATE units SET name = :name, timezone = :timezone, locale = :locale, show_names = :showNames WHERE id = :id")
    void update(@Bind("id") long id, @Bind("name") String name, @Bind("timezone") String timezone, @Bind("locale") String locale,
                @Bind("showNames") int showNames);

    @SqlUpdate("UPDATE units SET member_word = :word WHERE id = :id")
    void setMemberWord(@Bind("id") long id, @Bind("word") String word);

    @SqlQuery("SELECT * FROM units WHERE id = :id")
    Optional<Unit> find(@Bind("id") long id);

    /** Every unit but those merged into another. */
    @SqlQuery("SELECT * FROM units WHERE merged_into IS NULL ORDER BY id")
    List<Unit> all();

    @SqlQuery("SELECT * FROM units WHERE feed_token = :token")
    Optional<Unit> findByFeedToken(@Bind("token") String token);

    /** The unit and every unit below it today (a unit merged into another is no longer below anything). */
    @SqlQuery("""
            WITH RECURSIVE tree(id) AS (
              SELECT id FROM units WHERE id = :id
              UNION ALL
              SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id WHERE u.merged_into IS NULL)
            SELECT id FROM tree""")
    List<Long> subtreeIds(@Bind("id") long id);

    /** The unit and every unit above it, nearest first. */
    @SqlQuery("""
            WITH RECURSIVE up(id, parent_id, depth) AS (
              SELECT id, parent_id, 0 FROM units WHERE id = :id
              UNION ALL
              SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id)
            SELECT id FROM up ORDER BY depth""")
    List<Long> ancestorIds(@Bind("id") long id);
}
