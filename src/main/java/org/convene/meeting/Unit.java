package org.convene.meeting;

import java.time.Instant;
import java.time.ZoneId;

/** An organisational unit (province, district, committee, cell) in a tree. */
public record Unit(long id, String name, Long parentId, String timezone, String locale, String feedToken, Instant createdAt,
                   boolean showNames) {

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }
}
