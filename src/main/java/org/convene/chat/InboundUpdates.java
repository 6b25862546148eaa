package org.convene.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.convene.store.Writes;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids of one platform's updates already handled ({@code inbound_updates}), so that a repeated webhook
 * delivery is dropped. Ids are remembered for {@code remember}, then forgotten now and then.
 *
 * <p>An update's id is remembered in the same transaction as the answer it carries (its {@link Mark} is
 * the {@link Receipt} handed to the handler), so that a crash at any point neither loses an
 * acknowledgement (the id is not remembered either, and the platform's redelivery is handled) nor counts
 * one twice. An update that carries no answer (a command, a refused press) has its id remembered after it
 * was handled: a crash in between handles it again on redelivery, which can only repeat a reply, never
 * lose one. Ids are not taken before handling because handling may call the platform (a {@code /link}
 * confirmation), and SQLite's one write lock must not be held across an outbound call.
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

    /** @param writes where ids without an answer are remembered: through the group commit, beside the answers */
    public InboundUpdates(Jdbi jdbi, Writes writes, Clock clock, String platform, Duration remember) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.clock = clock;
        this.platform = platform;
        this.remember = remember;
    }

    /** True when the update was handled before (a redelivery). */
    public boolean seen(String id) {
        forgetOldNowAndThen(clock.instant());
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM inbound_updates WHERE platform = :platform AND update_id = :id")
                .bind("platform", platform).bind("id", id).mapTo(Integer.class).findOne().isPresent());
    }

    /** The receipt to hand with the update to the handler; call {@link Mark#rememberIfNotYet()} once it was handled. */
    public Mark mark(String id) {
        return new Mark(id, clock.instant());
    }

    /** An update's id, remembered in the transaction of the answer it carries, or after handling when it carries none. */
    public final class Mark implements Receipt {
        private final String id;
        private final Instant at;
        /** Set once a transaction that took the id has committed. */
        private volatile boolean remembered;

        private Mark(String id, Instant at) {
            this.id = id;
            this.at = at;
        }

        @Override
        public boolean takeIn(Handle h) {
            boolean fresh = h.createUpdate(TAKE).bind("platform", platform).bind("id", id).bind("now", at).execute() == 1;
            // taken now, or by a concurrent delivery of the same update: either way nothing is left to take
            h.afterCommit(() -> remembered = true);
            return fresh;
        }

        /** For an update whose handling wrote no answer: remembers its id now (through the group commit). */
        public void rememberIfNotYet() {
            // through the writer, not an INSERT of its own: a lone write colliding with a batch would sleep in SQLite's busy handler
            if (!remembered) writes.inTransaction(this::takeIn);
        }
    }

    private void forgetOldNowAndThen(Instant now) {
        if (Duration.between(forgottenAt, now).compareTo(FORGET_EVERY) < 0) return;
        forgottenAt = now;
        int forgotten = jdbi.withHandle(h -> h.createUpdate("DELETE FROM inbound_updates WHERE platform = :platform AND received_at < :before")
                .bind("platform", platform).bind("before", now.minus(remember)).execute());
        if (forgotten > 0) log.debug("forgot {} {} update ids older than {}", forgotten, platform, remember);
    }
}
