package org.convene.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids of one platform's updates already taken in ({@code inbound_updates}), so that a repeated
 * webhook delivery is dropped. Ids are remembered for {@code remember}, then forgotten now and then.
 */
public final class InboundUpdates {
    private static final Logger log = LoggerFactory.getLogger(InboundUpdates.class);
    private static final Duration FORGET_EVERY = Duration.ofHours(1);
    private static final String TAKE =
            "INSERT INTO inbound_updates (platform, update_id, received_at) VALUES (:platform, :id, :now) ON CONFLICT DO NOTHING";

    private final Jdbi jdbi;
    private final Writes writes;
    private final Clock clock;
    private final String platform;
    private final Duration remember;
    private volatile Instant forgottenAt = Instant.MIN;

    /** @param writes where ids are taken in: through the group commit, beside the answers they carry */
    public InboundUpdates(Jdbi jdbi, Writes writes, Clock clock, String platform, Duration remember) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.clock = clock;
        this.platform = platform;
        this.remember = remember;
    }

    /** True when the id is new and now taken, false when it was seen before. */
    public boolean take(String id) {
        Instant now = clock.instant();
        forgetOldNowAndThen(now);
        // through the writer, not an INSERT of its own: a lone write colliding with a batch would sleep in SQLite's busy handler
        return writes.inTransaction(h -> h.createUpdate(TAKE).bind("platform", platform).bind("id", id).bind("now", now).execute()) > 0;
    }

    /** Gives an id back after its handling failed, so that the platform's next delivery of it is handled. */
    public void release(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM inbound_updates WHERE platform = :platform AND update_id = :id")
                .bind("platform", platform).bind("id", id).execute());
    }

    private void forgetOldNowAndThen(Instant now) {
        if (Duration.between(forgottenAt, now).compareTo(FORGET_EVERY) < 0) return;
        forgottenAt = now;
        int forgotten = jdbi.withHandle(h -> h.createUpdate("DELETE FROM inbound_updates WHERE platform = :platform AND received_at < :before")
                .bind("platform", platform).bind("before", now.minus(remember)).execute());
        if (forgotten > 0) log.debug("forgot {} {} update ids older than {}", forgotten, platform, remember);
    }
}
