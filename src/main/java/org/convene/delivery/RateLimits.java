package org.convene.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * its sends evenly across it. A token bucket would save up a burst on top of the rate after any pause;
 * here an account sends a short burst (a quarter of its window) only after a whole window without a send,
 * and even then the log keeps that window's total at the rate. Each chat keeps a log of its last minute.
 *
 * <p>A retry-after widens the account's margin for a minute: it says the platform counted more in a
 * window than we did, so the jitter was larger than the margin.
 *
 * <p>The pace it plans with ({@link #pace}) is the rate it actually achieved in its last long wave, when
 * that was below what the limits allow: pre-roll then starts a wave early enough on this machine.
 */
final class RateLimits {
    /** How much longer than the platform's window ours is: 3% of a second at any rate, 30 ms at 30/s or at 1000/s. */
    static final double WINDOW_MARGIN = 1.03;
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

    /** One bot account's pace: its log, the spacing of its sends, the burst it may send after a quiet window. */
    private static final class Account {
        final int capacity;
        final double perSecond;
        final boolean concurrent;
        final SlidingLog log;
        /** When sends really left (a worker may leave after its slot on a busy machine): the last check before each send. */
        final SlidingLog departures;
        final int burst;
        double margin = WINDOW_MARGIN;
        Instant widenedAt = Instant.MIN;
        Duration window;
        Duration spacing;
        double declared;
        Instant nextSpaced = Instant.MIN;
        int credit;
        Instant creditUntil = Instant.MIN;
        Instant pausedUntil = Instant.MIN;
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
            // one send at a time cannot bunch: it may use its whole window at once; many in flight send a quarter of it at once
            this.burst = concurrent ? (int) Math.max(1, Math.ceil(capacity / 4.0)) : capacity;
            setMargin(WINDOW_MARGIN);
        }

        private void setMargin(double m) {
            margin = m;
            window = Duration.ofNanos((long) Math.ceil(capacity / perSecond * m * 1e9));
            log.window(window);
            departures.window(window);
            // one send at a time is spaced by its round trip already; many in flight are spaced evenly across the window
            spacing = concurrent ? window.dividedBy(capacity) : Duration.ZERO;
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

        Instant freeAt(Instant now) {
            Instant at = now;
            if (!burstAvailable(now)) {
                Instant spaced = nextSpaced.isBefore(now.minus(CATCH_UP)) ? now.minus(CATCH_UP) : nextSpaced;
                if (spaced.isAfter(at)) at = spaced;
            }
            return log.freeAt(at);
        }

        /**
         * A burst is sent only after a whole window without a send (a retry-after lasts at least that long): the
         * window it starts then holds the burst and the even pace after it, no more than the rate in all.
         */
        private boolean quietStart(Instant now) {
            return log.quietBefore(now) && !pausedUntil.isAfter(now);
        }

        private boolean burstAvailable(Instant now) {
            return (credit > 0 && creditUntil.isAfter(now)) || quietStart(now);
        }

        void take(Instant slot, Instant now) {
            narrowNowAndThen(now);
            if (quietStart(now)) {
                credit = burst;
                creditUntil = now.plus(spacing.multipliedBy(burst));
            }
            Instant base;
            if (credit > 0 && creditUntil.isAfter(now)) {
                // a burst send: the even pace resumes after the burst's share of the window
                credit--;
                base = nextSpaced.isAfter(slot) ? nextSpaced : slot;
            } else {
                credit = 0;
                base = nextSpaced.isBefore(slot.minus(CATCH_UP)) ? slot.minus(CATCH_UP) : nextSpaced;
            }
            nextSpaced = base.plus(spacing);
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

    /** The platform asked us to wait until {@code until}: a burst under way ends, and the pace resumes from then. */
    void paused(ChatPlatform platform, Instant until) {
        onAccount(platform, null, a -> {
            a.widen(until);
            if (until.isAfter(a.pausedUntil)) a.pausedUntil = until;
            a.credit = 0;
            if (a.nextSpaced.isBefore(until)) a.nextSpaced = until;
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
            a.credit = 0;
            if (!a.nextSpaced.isAfter(at)) a.nextSpaced = at.plus(a.spacing);
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
