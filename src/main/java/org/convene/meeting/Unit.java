package org.convene.meeting;

import java.time.Instant;
import java.time.ZoneId;

/**
 * An organisational unit (province, district, committee, cell) in a tree. {@code memberWord}: what its
 * members are called, one of {@link #MEMBER_WORDS} (party: đảng viên, youth: đoàn viên, association: hội viên, member: thành viên).
 * {@code mergedInto}: the unit it was merged into, null while it stands on its own.
 */
public record Unit(long id, String name, Long parentId, String timezone, String locale, String feedToken, Instant createdAt,
                   boolean showNames, String memberWord, Long mergedInto) {
    public static final java.util.List<String> MEMBER_WORDS = java.util.List.of("party", "youth", "association", "member");

    @org.jdbi.v3.core.mapper.reflect.JdbiConstructor
    public Unit {
        if (memberWord == null) memberWord = "member";
    }

    public Unit(long id, String name, Long parentId, String timezone, String locale, String feedToken, Instant createdAt, boolean showNames,
                String memberWord) {
        this(id, name, parentId, timezone, locale, feedToken, createdAt, showNames, memberWord, null);
    }

    public Unit(long id, String name, Long parentId, String timezone, String locale, String feedToken, Instant createdAt, boolean showNames) {
        this(id, name, parentId, timezone, locale, feedToken, createdAt, showNames, "member", null);
    }

    public boolean merged() {
        return mergedInto != null;
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }
}
