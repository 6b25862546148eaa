package org.convene.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.meeting.ConveneException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed guesses per client address: bearer tokens, the admin's token on the sign-in form, sign-in links.
 * Past {@code perMinute} failures in a minute the address is refused (429 with Retry-After) until the oldest
 * failure of the minute ages out, right answers included, so that guessing costs time; the first refusal of
 * each burst is logged, the rest only counted.
 */
final class Guesses {
    private static final Logger log = LoggerFactory.getLogger(Guesses.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses kept before a sweep drops those quiet for a minute: one burst from many addresses cannot fill memory. */
    private static final int SWEEP_AT = 10_000;

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Burst> byAddress = new ConcurrentHashMap<>();

    /** One address's failures of the last minute, and whether its refusal was logged in this burst. */
    private static final class Burst {
        final Deque<Instant> failures = new ArrayDeque<>();
        boolean logged;
        int refused;
    }

    Guesses(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    /**
     * Who is guessing: the peer, or behind a reverse proxy on this machine (the peer is loopback) the address
     * the proxy appended last to {@code X-Forwarded-For}. A client that connects directly cannot choose its
     * address this way: its header is not read.
     */
    static String client(io.javalin.http.Context ctx) {
        String peer = ctx.ip();
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank() || !loopback(peer)) return peer;
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].strip();
        return last.isEmpty() ? peer : last;
    }

    private static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1") || address.equals("[::1]");
    }

    /** 429 when {@code address} has used up its failures of the minute. */
    void requireAllowed(String address, String what) {
        Burst burst = byAddress.get(address);
        if (burst == null) return;
        Instant now = clock.instant();
        synchronized (burst) {
            expire(burst, now);
            if (burst.failures.size() < perMinute) {
                if (burst.failures.isEmpty()) burst.logged = false; // the burst is over; the next one is logged again
                return;
            }
            burst.refused++;
            if (!burst.logged) {
                burst.logged = true;
                log.warn("refusing {} from address {}: {} failures within {} s (limits.failuresPerMinute = {})", what, address,
                        burst.failures.size(), WINDOW.toSeconds(), perMinute);
            }
            Duration wait = Duration.between(now, burst.failures.peekFirst().plus(WINDOW));
            throw new ConveneException.TooMany("too many failed attempts from this address; try again in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " s (limits.failuresPerMinute = " + perMinute + ")", wait);
        }
    }

    /** Counts one failure of {@code address}. */
    void failed(String address) {
        Instant now = clock.instant();
        if (byAddress.size() > SWEEP_AT) sweep(now);
        Burst burst = byAddress.computeIfAbsent(address, a -> new Burst());
        synchronized (burst) {
            expire(burst, now);
            burst.failures.addLast(now);
        }
    }

    private static void expire(Burst burst, Instant now) {
        while (!burst.failures.isEmpty() && !burst.failures.peekFirst().plus(WINDOW).isAfter(now)) burst.failures.removeFirst();
    }

    private void sweep(Instant now) {
        byAddress.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                expire(e.getValue(), now);
                return e.getValue().failures.isEmpty();
            }
        });
    }
}
