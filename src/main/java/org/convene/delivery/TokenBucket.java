package org.convene.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A token bucket over an injected clock: {@code rate} tokens a second, at most {@code burst} saved up. */
final class TokenBucket {
    private final Clock clock;
    private final double rate;
    private final double burst;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(Clock clock, double ratePerSecond, double burst) {
        this.clock = clock;
        this.rate = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.refilledAt = clock.instant();
    }

    /** How long until a token is there; zero means one is there now (it is not taken). */
    synchronized Duration waitTime() {
        refill();
        if (tokens >= 1) return Duration.ZERO;
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / rate * 1e9));
    }

    synchronized void take() {
        refill();
        tokens -= 1;
    }

    /** A token taken for a send that never happened comes back (never above the burst). */
    synchronized void giveBack() {
        refill();
        tokens = Math.min(burst, tokens + 1);
    }

    private void refill() {
        Instant now = clock.instant();
        long nanos = Duration.between(refilledAt, now).toNanos();
        if (nanos > 0) {
            tokens = Math.min(burst, tokens + nanos / 1e9 * rate);
            refilledAt = now;
        }
    }
}
