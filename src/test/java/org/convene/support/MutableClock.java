package org.convene.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: time passes only when a test says so. A {@link #ticking()} one follows the
 * machine's time (for tests of what Quartz does at real instants), moved by hand on top of it.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private final boolean ticking;
    private volatile Duration ahead = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
        this.ticking = false;
    }

    private MutableClock() {
        this.now = null;
        this.ticking = true;
    }

    /** The machine's time, as Quartz sees it. */
    public static MutableClock ticking() {
        return new MutableClock();
    }

    public void advance(Duration by) {
        if (ticking) ahead = ahead.plus(by);
        else now = now.plus(by);
    }

    public void set(Instant instant) {
        if (ticking) ahead = Duration.between(Instant.now(), instant);
        else now = instant;
    }

    @Override
    public Instant instant() {
        return ticking ? Instant.now().plus(ahead) : now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
