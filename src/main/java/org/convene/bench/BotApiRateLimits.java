package org.convene.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits the fake Bot API enforces, as Telegram states them: a rate for the whole bot (a token
 * bucket of {@code perSecond} a second holding one second's worth, the same shape Convene paces by)
 * and at most {@code perMinutePerChat} messages in any sixty seconds into one group. A send beyond
 * either is refused with the seconds to wait, as Telegram's 429 carries them.
 */
final class BotApiRateLimits {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final int perMinutePerChat;
    private double tokens;
    private long refilledAt;
    private final Map<String, Deque<Long>> recentByChat = new ConcurrentHashMap<>();

    BotApiRateLimits(double perSecond, double burst, int perMinutePerChat, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.perMinutePerChat = perMinutePerChat;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes the send in, or answers how many seconds to wait (at least 1, as Telegram's retry_after). */
    int admit(String chatId, long nowNanos) {
        Deque<Long> recent = recentByChat.computeIfAbsent(chatId, c -> new ArrayDeque<>());
        synchronized (recent) {
            while (!recent.isEmpty() && nowNanos - recent.peekFirst() >= MINUTE_NANOS) recent.pollFirst();
            if (recent.size() >= perMinutePerChat) {
                return seconds(MINUTE_NANOS - (nowNanos - recent.peekFirst()));
            }
            int wait = takeGlobal(nowNanos);
            if (wait > 0) return wait;
            recent.addLast(nowNanos);
            return 0;
        }
    }

    private synchronized int takeGlobal(long nowNanos) {
        if (nowNanos > refilledAt) {
            tokens = Math.min(burst, tokens + (nowNanos - refilledAt) / 1e9 * perSecond);
            refilledAt = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return seconds((long) ((1 - tokens) / perSecond * 1e9));
    }

    private static int seconds(long nanos) {
        return (int) Math.max(1, Math.ceil(nanos / 1e9));
    }
}
