package org.convene.store;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;

/**
 * This node's name among the nodes that share a database, and the {@link Lease}s it takes under that name.
 *
 * @param soleNode true when no other node can share the database (SQLite, whose file one process owns)
 * @param timeToLive how long a lease lasts unless renewed: how long a dead node's work waits for another node
 */
public record Leases(Jdbi jdbi, Clock clock, String node, boolean soleNode, Duration timeToLive) {
    /** Long enough that a busy node renews in time; short enough that a dead node's work moves on within it. */
    public static final Duration TIME_TO_LIVE = Duration.ofSeconds(15);

    /** A name for this process that no other live node has: host, process id and a random part. */
    public static String nodeName(RandomGenerator random) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        byte[] salt = new byte[3];
        random.nextBytes(salt);
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + HexFormat.of().formatHex(salt);
    }

    /** Leases of a database only this process uses. */
    public static Leases sole(Jdbi jdbi, Clock clock) {
        return new Leases(jdbi, clock, "sole", true, TIME_TO_LIVE);
    }

    /** A lease some node holds, as the database has it. */
    public record Held(String name, String holder, Instant expiresAt) {}

    /** The leases held now, whichever node holds them: who sends, who polls. */
    public List<Held> held() {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, holder, expires_at FROM leases WHERE expires_at > :now ORDER BY name")
                .bind("now", clock.instant())
                .map((rs, ctx) -> new Held(rs.getString("name"), rs.getString("holder"), Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .list());
    }

    public Lease lease(String name) {
        return new Lease(jdbi, clock, name, node, timeToLive, soleNode);
    }
}
