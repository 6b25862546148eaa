package org.convene.meeting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Chat.class)
public interface ChatDao {
    @SqlUpdate("""
            INSERT INTO chats (unit_id, platform, platform_chat_id, title, state, created_at)
            VALUES (:unitId, :platform, :chatId, :title, 'active', :now)""")
    @GetGeneratedKeys
    long insert(@Bind("unitId") long unitId, @Bind("platform") String platform, @Bind("chatId") String platformChatId,
                @Bind("title") String title, @Bind("now") Instant now);

    @SqlQuery("SELECT * FROM chats WHERE id = :id")
    Optional<Chat> find(@Bind("id") long id);

    @SqlQuery("SELECT * FROM chats WHERE platform = :platform AND platform_chat_id = :chatId")
    Optional<Chat> find(@Bind("platform") String platform, @Bind("chatId") String platformChatId);

    @SqlQuery("SELECT * FROM chats WHERE unit_id = :unitId ORDER BY id")
    List<Chat> ofUnit(@Bind("unitId") long unitId);

    @SqlUpdate("UPDATE chats SET state = :state WHERE id = :id")
    int setState(@Bind("id") long id, @Bind("state") String state);

    @SqlUpdate("UPDATE chats SET unit_id = :unitId, state = 'active', title = COALESCE(:title, title) WHERE id = :id")
    int rebind(@Bind("id") long id, @Bind("unitId") long unitId, @Bind("title") String title);

    @SqlUpdate("UPDATE chats SET platform_chat_id = :newChatId WHERE id = :id")
    int move(@Bind("id") long id, @Bind("newChatId") String newPlatformChatId);
}
