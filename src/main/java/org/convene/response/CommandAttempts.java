package org.convene.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong {@code /link} and {@code /iam} attempts, counted per chat and per chat account over a sliding window:
 * past the limit the bot stops answering them, so codes and names cannot be guessed in a burst. Kept in
 * memory: a restart forgives, which costs a guesser far more time than it saves.
 */
final class CommandAttempts {
    static final int LIMIT = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    /** Beyond this many keys the oldest are forgotten, so a flood of fresh accounts cannot fill the memory. */
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    CommandAttempts(Clock clock) {
        this.clock = clock;
    }

    /** Whether a key (a chat or an account) has used up its wrong attempts in the window. */
    boolean blocked(String key) {
        Deque<Instant> seen = failures.get(key);
        if (seen == null) return false;
        synchronized (seen) {
            prune(seen, clock.instant());
            return seen.size() >= LIMIT;
        }
    }

    void failed(String key) {
        if (failures.size() > MAX_KEYS) failures.clear();
        Deque<Instant> seen = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (seen) {
            Instant now = clock.instant();
            prune(seen, now);
            seen.addLast(now);
        }
    }

    private static void prune(Deque<Instant> seen, Instant now) {
        while (!seen.isEmpty() && !seen.peekFirst().isAfter(now.minus(WINDOW))) seen.removeFirst();
    }
}
