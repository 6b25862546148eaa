package org.convene.chat.telegram;

import java.time.Instant;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The update ids already taken in ({@code inbound_updates}), so that a repeated delivery is dropped. */
interface InboundUpdateDao {
    /** 1 when the id is new and now taken, 0 when it was seen before; run as a plain statement in the answer's transaction. */
    String TAKE = "INSERT INTO inbound_updates (platform, update_id, received_at) VALUES (:platform, :id, :now) ON CONFLICT DO NOTHING";

    @SqlUpdate(TAKE)
    int take(@Bind("platform") String platform, @Bind("id") String updateId, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM inbound_updates WHERE platform = :platform AND received_at < :before")
    int forgetBefore(@Bind("platform") String platform, @Bind("before") Instant before);
}
