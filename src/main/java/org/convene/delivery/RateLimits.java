package org.convene.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;

/**
 * The platform's declared limits, kept on our side so that a wave runs right at them instead of
 * bouncing off 429s, read the strict way: <b>no</b> one-second window may hold more than the account's
 * rate, and no one-minute window more than the chat's 20, whatever happened before it (Telegram does not
 * say whether it counts a bucket or a window, and punishes repeated floods with a longer retry-after).
 *
 * <p>Each account keeps a {@link SlidingLog} of its sends over a window a little longer than a second
 * (the margin absorbs the jitter between when a send leaves and when the platform counts it), and spaces
 * its sends evenly across it, from the first send of a wave on. A token bucket would save up a burst on top
 * of the rate after any pause; here nothing is saved (sends that leave together on a busy machine arrive
 * bunched, and a burst that arrives late overlaps the next second's sends). Only an account that sends one
 * message at a time (a local platform) may use its window at once. Each chat keeps a log of its last minute.
 *
 * <p>A retry-after widens the account's margin for a minute: it says the platform counted more in a
 * window than we did, so the jitter was larger than the margin.
 *
 * <p>The pace it plans with ({@link #pace}) is the rate it actually achieved in its last long wave, when
 * that was below what the limits allow: pre-roll then starts a wave early enough on this machine.
 */
final class RateLimits {
    /**
     * How much longer than the platform's window ours is: 4% of a second at any rate, 40 ms at 30/s or at 1000/s.
     * With 3% a wave at 1,000/s, fired while it was sent on two busy cores, still met one flood now and then: a
     * few sends counted more than 30 ms late by the stand-in (2 December). The pace is then at most 0.96 of the rate.
     */
    static final double WINDOW_MARGIN = 1.04;
    private static final double MAX_MARGIN = 1.15;
    private static final Duration AFTER_WIDENING = Duration.ofMinutes(1);
    private static final Duration CHAT_WINDOW = Duration.ofSeconds(61);
    /** After a stall of the dispatcher (a slow pass, a pause of the JVM), up to this much of the missed pace is caught up. */
    private static final Duration CATCH_UP = Duration.ofMillis(25);
    /** A wave shorter than this says nothing about the rate achieved. */
    private static final Duration MEASURED_STRETCH = Duration.ofSeconds(2);
    /** A stretch of sending at the limit ends when nothing was held back by the account for this long. */
    private static final Duration STRETCH_GAP = Duration.ofSeconds(1);

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, SlidingLog> chats = new ConcurrentHashMap<>();
    /**
     * Nanoseconds of real time, for the spacing: the platform counts real seconds, whatever a test's clock
     * says; the windows themselves go by the injected clock.
     */
    private final LongSupplier ticker;

    RateLimits(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /** One bot account's pace: its log of sends, the log of when they really left, and the spacing between them. */
    private final class Account {
        final int capacity;
        final double perSecond;
        final boolean concurrent;
        final SlidingLog log;
        /** When sends really left (a worker may leave after its slot on a busy machine): the last check before each send. */
        final SlidingLog departures;
        double margin = WINDOW_MARGIN;
        Instant widenedAt = Instant.MIN;
        Duration window;
        long spacingNanos;
        double declared;
        /** On the ticker: when the next send may leave at the even pace. */
        long nextSpaced = Long.MIN_VALUE / 2;
        /** After a retry-after: the first send resumes the pace, with nothing caught up. */
        boolean resuming;
        // the current stretch of sending at the limit, and the pace measured in the last long one (0: none yet)
        Instant stretchStart;
        Instant stretchLast;
        long stretchSends;
        double achieved;

        Account(double perSecond, boolean concurrent) {
            this.capacity = (int) Math.max(1, Math.floor(perSecond));
            this.perSecond = perSecond;
            this.concurrent = concurrent;
            this.log = new SlidingLog(capacity, Duration.ofSeconds(1));
            this.departures = new SlidingLog(capacity, Duration.ofSeconds(1));
            setMargin(WINDOW_MARGIN);
        }

        private void setMargin(double m) {
            margin = m;
            window = Duration.ofNanos((long) Math.ceil(capacity / perSecond * m * 1e9));
            log.window(window);
            departures.window(window);
            // one send at a time is spaced by its round trip already (it may use its whole window at once);
            // many in flight are spaced evenly across the window, from the first send on: no burst is saved up
            spacingNanos = concurrent ? window.toNanos() / capacity : 0;
            declared = capacity / (window.toNanos() / 1e9);
        }

        /**
         * A retry-after means the platform counted more than we did: the jitter between our sends and its count is
         * larger than the margin, so the margin doubles (up to 15%) and comes back down a minute after.
         */
        void widen(Instant at) {
            setMargin(Math.min(MAX_MARGIN, 1 + (margin - 1) * 2));
            widenedAt = at;
        }

        private void narrowNowAndThen(Instant now) {
            if (margin > WINDOW_MARGIN && Duration.between(widenedAt, now).compareTo(AFTER_WIDENING) > 0) {
                setMargin(Math.max(WINDOW_MARGIN, 1 + (margin - 1) / 2));
                widenedAt = now;
            }
        }

        /**
         * The next send's place in the even pace, on the ticker. A stall of the dispatcher in the middle of a wave
         * is caught up by at most {@link #CATCH_UP}; after a quiet window (a wave's start, the end of a
         * retry-after) nothing is: the first send goes at once and the next one a spacing later.
         */
        private long spacedAt(long tick, Instant now) {
            return Math.max(nextSpaced, resuming || log.quietBefore(now) ? tick : tick - CATCH_UP.toNanos());
        }

        Instant freeAt(Instant now) {
            long tick = ticker.getAsLong();
            long wait = spacedAt(tick, now) - tick;
            return log.freeAt(wait > 0 ? now.plusNanos(wait) : now);
        }

        void take(Instant slot, Instant now) {
            narrowNowAndThen(now);
            long tick = ticker.getAsLong();
            long slotTick = tick + Math.max(0, Duration.between(now, slot).toNanos());
            nextSpaced = Math.max(spacedAt(tick, now), resuming ? slotTick : slotTick - CATCH_UP.toNanos()) + spacingNanos;
            resuming = false;
            log.add(slot);
            if (stretchStart != null) stretchSends++;
        }

        /** The account held sends back at {@code now}: a stretch at the limit goes on (or starts). */
        void heldBack(Instant now) {
            if (stretchStart != null && Duration.between(stretchLast, now).compareTo(STRETCH_GAP) > 0) endStretch();
            if (stretchStart == null) {
                stretchStart = now;
                stretchSends = 0;
            }
            stretchLast = now;
            if (Duration.between(stretchStart, now).compareTo(MEASURED_STRETCH.multipliedBy(5)) >= 0) endStretch();
        }

        private void endStretch() {
            double seconds = Duration.between(stretchStart, stretchLast).toNanos() / 1e9;
            if (seconds >= MEASURED_STRETCH.toNanos() / 1e9 && stretchSends > 0) achieved = stretchSends / seconds;
            stretchStart = null;
        }

        double pace() {
            // never plan below half the declared pace on one measurement: a wave slowed by a stalled machine says little
            return achieved <= 0 ? declared : Math.max(declared / 2, Math.min(declared, achieved));
        }
    }

    /** The earliest instant the account may send its next message; after {@code now} when its pace holds it back. */
    Instant accountFreeAt(ChatPlatform platform, Instant now) {
        return onAccount(platform, now, a -> a.freeAt(now));
    }

    /** The earliest instant one more message may go into the chat. */
    Instant chatFreeAt(ChatPlatform platform, String chatId, Instant now) {
        SlidingLog chat = chat(platform, chatId);
        if (chat == null) return now;
        synchronized (chat) {
            return chat.freeAt(now);
        }
    }

    /**
     * Takes the next slot of the account and of the chat, not before {@code now}: the instant the send is to
     * leave at (the caller has checked that it is soon enough).
     */
    Instant reserve(ChatPlatform platform, String chatId, Instant now) {
        SlidingLog chat = chat(platform, chatId);
        Account a = account(platform);
        if (a == null) return takeChat(chat, now);
        synchronized (a) {
            Instant slot = takeChat(chat, a.freeAt(now));
            a.take(slot, now);
            return slot;
        }
    }

    private static Instant takeChat(SlidingLog chat, Instant at) {
        if (chat == null) return at;
        synchronized (chat) {
            Instant slot = chat.freeAt(at);
            chat.add(slot);
            return slot;
        }
    }

    /** A slot taken for a send that never happened (released behind a failed message, or lost to another dispatcher). */
    void unused(ChatPlatform platform, String chatId, Instant slot) {
        if (slot == null) return;
        onAccount(platform, null, a -> {
            a.log.remove(slot);
            return null;
        });
        SlidingLog chat = chat(platform, chatId);
        if (chat != null) synchronized (chat) { chat.remove(slot); }
    }

    /** The platform asked us to wait until {@code until} (the dispatcher holds the account until then): the margin widens. */
    void paused(ChatPlatform platform, Instant until) {
        onAccount(platform, null, a -> {
            a.widen(until);
            a.resuming = true;
            return null;
        });
    }

    /**
     * A send another node (or this node before a restart) made at {@code at}: taking the sending over, the
     * new holder counts the last minute's sends into its windows, so that it does not add a full second's
     * worth to what its predecessor sent just before.
     */
    void sentBefore(ChatPlatform platform, String chatId, Instant at) {
        onAccount(platform, null, a -> {
            a.log.add(at);
            a.departures.add(at);
            return null;
        });
        SlidingLog chat = chat(platform, chatId);
        if (chat != null) synchronized (chat) { chat.add(at); }
    }

    /**
     * The last check before a send of an account with many in flight: zero when it may leave now (and it is
     * counted as leaving), else how long to wait. A send's slot was reserved when it was claimed; on a busy
     * machine its worker may run late, and sends that left late and on time together would arrive bunched.
     */
    Duration depart(ChatPlatform platform, Instant now) {
        return onAccount(platform, Duration.ZERO, a -> {
            if (!a.concurrent) return Duration.ZERO;
            Instant free = a.departures.freeAt(now);
            if (free.isAfter(now)) return Duration.between(now, free);
            a.departures.add(now);
            return Duration.ZERO;
        });
    }

    /** The account held sends back at {@code now} for its pace (or its window of sends in flight): it is sending at its limit. */
    void heldBack(ChatPlatform platform, Instant now) {
        onAccount(platform, null, a -> {
            a.heldBack(now);
            return null;
        });
    }

    /** Messages a second to plan a wave with: the limits' pace, or less if that is what the last long wave achieved. */
    double pace(ChatPlatform platform) {
        return onAccount(platform, 0.0, Account::pace);
    }

    /** {@code work} on the platform's account, under its lock; {@code none} for a platform without a rate. */
    private <T> T onAccount(ChatPlatform platform, T none, java.util.function.Function<Account, T> work) {
        Account a = account(platform);
        if (a == null) return none;
        synchronized (a) {
            return work.apply(a);
        }
    }

    private Account account(ChatPlatform platform) {
        Capabilities c = platform.capabilities();
        if (c.messagesPerSecond() <= 0) return null;
        return accounts.computeIfAbsent(platform.name() + "/" + platform.account(),
                k -> new Account(c.messagesPerSecond(), platform.concurrentSends() > 1));
    }

    private SlidingLog chat(ChatPlatform platform, String chatId) {
        Capabilities c = platform.capabilities();
        if (c.messagesPerMinutePerChat() <= 0) return null;
        return chats.computeIfAbsent(platform.name() + "/" + platform.account() + "/" + chatId,
                k -> new SlidingLog(c.messagesPerMinutePerChat(), CHAT_WINDOW));
    }
}
