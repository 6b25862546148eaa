package org.convene.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to do some work on one node at a time, when several nodes share a database: the holder renews
 * it well before it runs out, and when a holder dies another node takes it once it has run out.
 *
 * <p>Expiry is reckoned on the nodes' clocks, which must agree to within a small part of the time to live
 * (as Quartz's clustering already requires). A holder that stalls past its expiry may overlap with its
 * successor for the length of that stall; the work held this way must stay correct then (the dispatcher's
 * claims are atomic, so the overlap can only cost rate, never a message sent twice by both).
 */
public final class Lease {
    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    /** What {@link #hold()} found. */
    public enum Holding {
        /** Held, as it already was. */
        KEPT,
        /** Just taken: from nobody, from a holder whose lease ran out, or at start on a database only this node uses. */
        TAKEN,
        /** Another node holds it. */
        ELSEWHERE
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final String name;
    private final String holder;
    private final Duration timeToLive;
    private final Duration renewAfter;
    /** A node that does not hold the lease asks again only after this (callers may ask on every event). */
    private final Duration askAgainAfter;
    private final boolean soleNode;
    private boolean forceNextTake;
    private Instant heldUntil = Instant.MIN;
    private Instant renewedAt = Instant.MIN;
    private Instant refusedAt = Instant.MIN;

    /**
     * @param holder this node, unique among the nodes alive
     * @param soleNode true when no other node can share the database (SQLite): the lease is taken at once
     *     even if a previous run of this service still seems to hold it
     */
    public Lease(Jdbi jdbi, Clock clock, String name, String holder, Duration timeToLive, boolean soleNode) {
        if (timeToLive.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("a lease lives at least a second");
        this.jdbi = jdbi;
        this.clock = clock;
        this.name = name;
        this.holder = holder;
        this.timeToLive = timeToLive;
        this.renewAfter = timeToLive.dividedBy(3);
        this.askAgainAfter = timeToLive.dividedBy(8);
        this.forceNextTake = soleNode;
        this.soleNode = soleNode;
    }

    public Duration timeToLive() {
        return timeToLive;
    }

    /**
     * Holds the lease now if it can: renews it when a third of its life has passed (so a pass of the work
     * costs no write most of the time), takes it when it is free or has run out.
     */
    public synchronized Holding hold() {
        Instant now = clock.instant();
        boolean held = now.isBefore(heldUntil);
        if (held && Duration.between(renewedAt, now).compareTo(renewAfter) < 0) return Holding.KEPT;
        if (!held && Duration.between(refusedAt, now).compareTo(askAgainAfter) < 0) return Holding.ELSEWHERE;
        Instant until = now.plus(timeToLive);
        boolean force = forceNextTake;
        // a transaction, not a lone statement: on SQLite it then queues for the writer's turn, where a lone write
        // waited in SQLite's busy handler behind the queue and starved for the whole busy timeout during a wave
        int changed = jdbi.inTransaction(h -> h.createUpdate("""
                        INSERT INTO leases (name, holder, expires_at) VALUES (:name, :holder, :until)
                        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                        WHERE leases.holder = excluded.holder OR leases.expires_at <= :now OR :force = 1""")
                .bind("name", name).bind("holder", holder).bind("until", until).bind("now", now).bind("force", force ? 1 : 0)
                .execute());
        if (changed == 0) {
            if (held) log.warn("lease {} lost to another node", name);
            heldUntil = Instant.MIN;
            refusedAt = now;
            return Holding.ELSEWHERE;
        }
        forceNextTake = false;
        heldUntil = until;
        renewedAt = now;
        if (held) return Holding.KEPT;
        // worth a line only where nodes share the work: alone on its database a node always holds its leases
        if (soleNode) log.debug("lease {} taken", name);
        else log.info("lease {} taken by {}", name, holder);
        return Holding.TAKEN;
    }

    /** True while this node's hold has not run out (without asking the database). */
    public synchronized boolean isHeld() {
        return clock.instant().isBefore(heldUntil);
    }

    /** Who holds it according to the database, if its lease has not run out. */
    public Optional<String> holder() {
        return jdbi.withHandle(h -> h.createQuery("SELECT holder FROM leases WHERE name = :name AND expires_at > :now")
                .bind("name", name).bind("now", clock.instant()).mapTo(String.class).findOne());
    }

    /** Gives the lease up at a clean stop, so that another node takes the work over at once. */
    public synchronized void release() {
        if (heldUntil == Instant.MIN) return;
        heldUntil = Instant.MIN;
        refusedAt = clock.instant();
        try {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM leases WHERE name = :name AND holder = :holder")
                    .bind("name", name).bind("holder", holder).execute());
        } catch (RuntimeException e) {
            log.warn("lease {} not released; it runs out on its own", name, e);
        }
    }
}
