package org.convene.meeting;

/** A group chat bound to a unit; {@code platformChatId} is the platform's own id for it. */
public record Chat(long id, long unitId, String platform, String platformChatId, String title, String state) {
    public static final String ACTIVE = "active";
    public static final String LEFT = "left";
    public static final String MIGRATED = "migrated";
    /** Its unit's secretary let it go: nothing is posted there, and {@code /link CODE} may bind it to another unit. */
    public static final String RELEASED = "released";

    public boolean active() {
        return ACTIVE.equals(state);
    }

    /** A chat read from a row of {@code chats}, by hand: chats are read on every tap and every wave, and a reflective mapper costs more than the query. */
    public static final org.jdbi.v3.core.mapper.RowMapper<Chat> ROW = (rs, ctx) -> new Chat(rs.getLong("id"), rs.getLong("unit_id"),
            rs.getString("platform"), rs.getString("platform_chat_id"), rs.getString("title"), rs.getString("state"));
}
