package org.convene.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
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
    /** Keys whose ignored attempts were logged in their current burst: a flood is one line, not one a message. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    CommandAttempts(Clock clock) {
        this.clock = clock;
    }

    /** Whether a key (a chat or an account) has used up its wrong attempts in the window. */
    boolean blocked(String key) {
        Deque<Instant> seen = failures.get(key);
        if (seen == null) return false;
        synchronized (seen) {
            prune(seen, clock.instant());
            if (seen.isEmpty()) reported.remove(key); // the burst is over: the next one is logged again
            return seen.size() >= LIMIT;
        }
    }

    /** True for the first ignored attempt of a blocked key's burst only. */
    boolean firstIgnored(String key) {
        return reported.add(key);
    }

    void failed(String key) {
        if (failures.size() > MAX_KEYS) {
            failures.clear();
            reported.clear();
        }
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
