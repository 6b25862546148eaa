package org.convene.meeting;

/** A group chat bound to a unit; {@code platformChatId} is the platform's own id for it. */
public record Chat(long id, long unitId, String platform, String platformChatId, String title, String state) {
    public static final String ACTIVE = "active";
    public static final String LEFT = "left";
    public static final String MIGRATED = "migrated";

    public boolean active() {
        return ACTIVE.equals(state);
    }
}
