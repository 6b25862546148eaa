package org.convene.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits the fake Bot API enforces, read the strict way (Telegram does not say whether it counts a
 * bucket or a window): no one-second window, sliding, may hold more than {@code perSecond} accepted
 * messages of the bot, and no sixty-second window more than {@code perMinutePerChat} into one group. No
 * burst is saved up: a send is refused whenever it would be one too many in the window ending with it.
 *
 * <p>A refused send is answered with the seconds to wait, as Telegram's 429 carries them, and that wait is
 * a penalty: a send during it is refused too. Floods repeated within a minute of the last one are
 * answered with a wait that doubles each time (Telegram answers repeated floods with 30 s, then 120 s).
 */
final class BotApiRateLimits {
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long MINUTE_NANOS = 60 * SECOND_NANOS;
    /** Floods this close to the last one count as repeated. */
    private static final long REPEAT_NANOS = MINUTE_NANOS;
    private static final int LONGEST_WAIT_SECONDS = 120;

    private final int perSecond;
    private final int perMinutePerChat;
    private final Window account;
    private final Map<String, Window> chats = new ConcurrentHashMap<>();

    /** One sliding window of accepted sends, with its penalty after a refusal. */
    private static final class Window {
        final Deque<Long> accepted = new ArrayDeque<>();
        final long length;
        final int limit;
        long penaltyUntil = Long.MIN_VALUE;
        long lastFloodAt = Long.MIN_VALUE;
        int floods;

        Window(int limit, long length) {
            this.limit = limit;
            this.length = length;
        }

        /** Refusals: a new flood (the window was full), or a send during the penalty of one. */
        final java.util.concurrent.atomic.AtomicLong floodsSeen = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong duringPenalty = new java.util.concurrent.atomic.AtomicLong();

        /** Zero when the send fits, else the seconds to wait (the penalty it set, or the one still running). */
        int check(long now) {
            if (now < penaltyUntil) {
                duringPenalty.incrementAndGet();
                return seconds(penaltyUntil - now);
            }
            while (!accepted.isEmpty() && now - accepted.peekFirst() >= length) accepted.pollFirst();
            if (accepted.size() < limit) return 0;
            // a new flood: the wait until the window has room, doubled for each flood in the minute before
            floodsSeen.incrementAndGet();
            floods = lastFloodAt != Long.MIN_VALUE && now - lastFloodAt < REPEAT_NANOS ? floods + 1 : 0;
            lastFloodAt = now;
            long untilRoom = length - (now - accepted.peekFirst());
            int wait = (int) Math.min(LONGEST_WAIT_SECONDS, (long) seconds(untilRoom) << Math.min(floods, 10));
            penaltyUntil = now + wait * SECOND_NANOS;
            return wait;
        }

        void accept(long now) {
            accepted.addLast(now);
        }
    }

    BotApiRateLimits(double perSecond, int perMinutePerChat) {
        this.perSecond = (int) Math.max(1, Math.floor(perSecond));
        this.perMinutePerChat = perMinutePerChat;
        this.account = new Window(this.perSecond, SECOND_NANOS);
    }

    /** Takes the send in, or answers how many seconds to wait (at least 1, as Telegram's retry_after). */
    int admit(String chatId, long nowNanos) {
        Window chat = chats.computeIfAbsent(chatId, c -> new Window(perMinutePerChat, MINUTE_NANOS));
        synchronized (chat) {
            int wait = chat.check(nowNanos);
            if (wait > 0) return wait;
            synchronized (account) {
                wait = account.check(nowNanos);
                if (wait > 0) return wait;
                account.accept(nowNanos);
            }
            chat.accept(nowNanos);
            return 0;
        }
    }

    /** The refusals so far, by cause: a full window of the bot, of a group, a send during a penalty. */
    String refusals() {
        long groupFloods = 0, groupPenalty = 0;
        for (Window w : chats.values()) {
            groupFloods += w.floodsSeen.get();
            groupPenalty += w.duringPenalty.get();
        }
        return "bot window full " + account.floodsSeen.get() + ", during its penalty " + account.duringPenalty.get()
                + "; group window full " + groupFloods + ", during its penalty " + groupPenalty;
    }

    private static int seconds(long nanos) {
        return (int) Math.max(1, Math.ceil(nanos / 1e9));
    }
}
