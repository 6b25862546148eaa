package org.convene.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatDao;
import org.convene.meeting.Material;
import org.convene.meeting.MaterialDao;
import org.convene.meeting.MaterialStore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox through the chat port: earliest deadline first, honouring a platform's
 * retry-after for the whole account, backing off with jitter on transient faults, and marking
 * permanent refusals failed with the platform's words.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    static final int MAX_ATTEMPTS = 12;
    private static final int BATCH = 100;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ChatPlatforms platforms;
    private final MaterialStore store;
    private final RandomGenerator random;
    private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
    private final RateLimits limits;
    private final DeliveryMetrics metrics;
    private volatile Duration shortestWait = Duration.ofSeconds(1);
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    private final LiveContent live;

    public Dispatcher(Jdbi jdbi, Clock clock, ChatPlatforms platforms, MaterialStore store, RandomGenerator random,
                      DeliveryMetrics metrics, LiveContent live) {
        this.live = live;
        this.jdbi = jdbi;
        this.limits = new RateLimits(clock);
        this.metrics = metrics;
        this.clock = clock;
        this.platforms = platforms;
        this.store = store;
        this.random = random;
    }

    /** Re-queues what a crash left in flight, then drains in the background until closed. */
    public void start() {
        recoverInFlight();
        running = true;
        thread = Thread.ofPlatform().name("dispatcher").daemon().start(this::loop);
    }

    /**
     * Deliveries left in {@code sending} by a crash may or may not have reached the chat: they go out
     * again, the only duplicates a crash can cause. Returns how many.
     */
    public int recoverInFlight() {
        int requeued = jdbi.withExtension(DeliveryDao.class, DeliveryDao::requeueInFlight);
        if (requeued > 0) log.warn("re-queued {} deliveries that were in flight at the last stop", requeued);
        return requeued;
    }

    /** Tells the dispatcher new deliveries may be due. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                int sent = drainOnce();
                if (sent == 0) {
                    wake.tryAcquire(idleWait().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("dispatcher round failed; trying again shortly", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Duration idleWait() {
        Optional<Instant> next = jdbi.withExtension(DeliveryDao.class, DeliveryDao::nextAttempt);
        Duration wait = Duration.ofSeconds(1);
        if (next.isPresent()) {
            Duration until = Duration.between(clock.instant(), next.get());
            wait = until.compareTo(wait) < 0 ? until : wait;
        }
        if (shortestWait.compareTo(wait) < 0) wait = shortestWait;
        return wait.compareTo(Duration.ofMillis(5)) < 0 ? Duration.ofMillis(5) : wait;
    }

    /** Sends what is due now, one pass; returns how many deliveries were attempted. */
    public int drainOnce() {
        List<Delivery> due = jdbi.withExtension(DeliveryDao.class, d -> d.due(clock.instant(), BATCH));
        int attempted = 0;
        java.util.Set<String> exhausted = new java.util.HashSet<>();
        shortestWait = Duration.ofSeconds(1);
        for (Delivery delivery : due) {
            if (!running && thread != null) break;
            if (attemptOne(delivery, exhausted)) attempted++;
        }
        return attempted;
    }

    private void waitAtMost(Duration wait) {
        if (wait.compareTo(shortestWait) < 0) shortestWait = wait;
    }

    private boolean attemptOne(Delivery delivery, java.util.Set<String> exhausted) {
        Optional<Chat> chat = jdbi.withExtension(ChatDao.class, d -> d.find(delivery.chatId()));
        if (chat.isEmpty() || !chat.get().active()) {
            fail(delivery, "the chat is " + chat.map(Chat::state).orElse("gone") + "; nothing was sent");
            return true;
        }
        Optional<ChatPlatform> platform = platforms.get(chat.get().platform());
        if (platform.isEmpty()) {
            fail(delivery, "the platform " + chat.get().platform() + " is not enabled");
            return true;
        }
        if (exhausted.contains(platform.get().name())) return false;
        Instant paused = pausedUntil.get(platform.get().name());
        if (paused != null && clock.instant().isBefore(paused)) {
            jdbi.useExtension(DeliveryDao.class, d -> d.postpone(delivery.id(), paused));
            return false;
        }
        Duration accountWait = limits.accountWait(platform.get());
        if (!accountWait.isZero()) {
            // the whole bot account is at its rate: nothing more of this platform goes out in this round
            exhausted.add(platform.get().name());
            waitAtMost(accountWait);
            return false;
        }
        Duration chatWait = limits.waitTime(platform.get(), chat.get().platformChatId());
        if (!chatWait.isZero()) {
            Instant at = clock.instant().plus(chatWait);
            jdbi.useExtension(DeliveryDao.class, d -> d.postpone(delivery.id(), at));
            return false;
        }
        if (jdbi.withExtension(DeliveryDao.class, d -> d.claim(delivery.id())) == 0) return false;
        limits.taken(platform.get(), chat.get().platformChatId());
        SendOutcome outcome;
        OutgoingMessage message;
        try {
            message = message(platform.get(), delivery);
        } catch (RuntimeException e) {
            fail(delivery, "cannot build the message: " + e.getMessage());
            return true;
        }
        String editOf = Payload.fromJson(delivery.payload()) instanceof Payload.Tally t ? t.agendaMessageId() : null;
        try {
            outcome = editOf != null && message instanceof OutgoingMessage.Text text
                    ? platform.get().edit(chat.get().platformChatId(), editOf, text)
                    : platform.get().send(chat.get().platformChatId(), message);
        } catch (RuntimeException e) {
            outcome = new SendOutcome.Transient(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        record(delivery, chat.get(), platform.get(), message, outcome);
        return true;
    }

    private void record(Delivery delivery, Chat chat, ChatPlatform platform, OutgoingMessage message, SendOutcome outcome) {
        Instant now = clock.instant();
        switch (outcome) {
            case SendOutcome.Sent sent -> {
                jdbi.useTransaction(h -> {
                    DeliveryDao dao = h.attach(DeliveryDao.class);
                    dao.markSent(delivery.id(), sent.messageId(), now);
                    if (sent.platformFileId() != null && message instanceof OutgoingMessage.Document doc) {
                        dao.rememberFile(platform.name(), platform.account(), doc.sha256(), sent.platformFileId(), now);
                    }
                });
                metrics.sent(delivery, now);
            }
            case SendOutcome.RetryAfter wait -> {
                metrics.retried("rate_limit");
                Instant until = now.plus(wait.after());
                pausedUntil.merge(platform.name(), until, (a, b) -> a.isAfter(b) ? a : b);
                jdbi.useExtension(DeliveryDao.class, d -> d.waitUntil(delivery.id(), until, wait.reason()));
            }
            case SendOutcome.Moved moved -> {
                jdbi.useTransaction(h -> {
                    h.attach(ChatDao.class).move(chat.id(), moved.newChatId());
                    h.attach(DeliveryDao.class).waitUntil(delivery.id(), now, "chat moved to " + moved.newChatId());
                });
                log.info("chat moved chat={} to={}", chat.id(), moved.newChatId());
            }
            case SendOutcome.Rejected rejected -> {
                fail(delivery, rejected.reason());
                if (rejected.chatGone()) jdbi.useExtension(ChatDao.class, d -> d.setState(chat.id(), Chat.LEFT));
            }
            case SendOutcome.Transient fault -> {
                metrics.retried("transient");
                if (delivery.attempts() + 1 >= MAX_ATTEMPTS) {
                    fail(delivery, "gave up after " + MAX_ATTEMPTS + " attempts: " + fault.reason());
                } else {
                    jdbi.useExtension(DeliveryDao.class, d -> d.retryAt(delivery.id(), now.plus(backoff(delivery.attempts() + 1)), fault.reason()));
                }
            }
        }
    }

    /**
     * How long the platforms need to send {@code newMessages} (per platform) after what is already queued
     * with an earlier or equal deadline: the longest of the platforms. Zero for platforms without a limit.
     */
    public Duration timeToSend(Map<String, Long> newMessages, Instant deadline) {
        Duration longest = Duration.ZERO;
        for (Map.Entry<String, Long> e : newMessages.entrySet()) {
            Optional<ChatPlatform> platform = platforms.get(e.getKey());
            if (platform.isEmpty() || platform.get().capabilities().messagesPerSecond() <= 0) continue;
            long queued = jdbi.withHandle(h -> h.createQuery("""
                    SELECT COUNT(*) FROM deliveries d JOIN chats c ON c.id = d.chat_id
                    WHERE d.state IN ('queued', 'sending') AND c.platform = :p AND d.due_at <= :deadline""")
                    .bind("p", e.getKey()).bind("deadline", deadline).mapTo(Long.class).one());
            double seconds = (queued + e.getValue()) / platform.get().capabilities().messagesPerSecond();
            Duration needed = Duration.ofMillis((long) Math.ceil(seconds * 1000));
            if (needed.compareTo(longest) > 0) longest = needed;
        }
        return longest;
    }

    /** Exponential back-off from 2 s, capped at 5 min, with full jitter so retries of a wave spread out. */
    Duration backoff(int attempt) {
        long capMillis = Math.min(300_000L, 2_000L << Math.min(attempt - 1, 10));
        return Duration.ofMillis(capMillis / 2 + random.nextLong(capMillis / 2 + 1));
    }

    private void fail(Delivery delivery, String reason) {
        log.warn("delivery failed id={} meeting={} reason={}", delivery.id(), delivery.meetingId(), reason);
        jdbi.useExtension(DeliveryDao.class, d -> d.markFailed(delivery.id(), reason));
    }

    private OutgoingMessage message(ChatPlatform platform, Delivery delivery) {
        return switch (Payload.fromJson(delivery.payload())) {
            case Payload.Text t -> new OutgoingMessage.Text(t.text(), t.buttons(), t.mentions());
            case Payload.Tally t -> live.tally(t.meetingId());
            case Payload.Document d -> {
                Material m = jdbi.withExtension(MaterialDao.class, dao -> dao.find(d.materialId()))
                        .orElseThrow(() -> new IllegalStateException("material " + d.materialId() + " is gone"));
                String fileId = jdbi.withExtension(DeliveryDao.class, dao -> dao.knownFile(platform.name(), platform.account(), m.sha256()))
                        .orElse(null);
                yield new OutgoingMessage.Document(m.filename(), m.mediaType(), m.size(), m.sha256(), store.pathOf(m.sha256()),
                        d.caption(), fileId);
            }
        };
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
