package org.convene.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatDao;
import org.jdbi.v3.core.Handle;
import org.convene.store.Writes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of sends in the outbox: sent with the platform's message id, waiting out a
 * retry-after or a back-off, failed with the platform's words. A crash between a send and its record
 * leaves the delivery in {@code sending}, and it goes out again at the next start.
 */
final class OutcomeWriter {
    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);

    private final Writes writes;
    private final DeliveryMetrics metrics;
    private final IntFunction<Duration> backoff;

    /**
     * @param writes  where outcomes are written: a group commit when many sends run at once
     * @param backoff the wait before attempt number n after a transient fault
     */
    OutcomeWriter(Writes writes, DeliveryMetrics metrics, IntFunction<Duration> backoff) {
        this.writes = writes;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /** Records what the platform answered to one send, and returns once it is committed. */
    void write(SendResult.Attempted attempted) {
        List<Runnable> afterCommit = new ArrayList<>();
        writes.inTransaction(h -> {
            afterCommit.clear();
            attempted(h, attempted, afterCommit);
            return null;
        });
        afterCommit.forEach(Runnable::run);
    }

    /**
     * Puts back, untried, the deliveries of a chat that came after one that did not go: queued again as
     * from when that one is tried again (at once if it failed for good), so they keep following it.
     */
    void release(SendResult.Attempted stopper, List<SendResult.Released> released) {
        writes.inTransaction(h -> {
            DeliveryDao dao = h.attach(DeliveryDao.class);
            Instant next = dao.find(stopper.claim().delivery().id()).filter(d -> Delivery.QUEUED.equals(d.state()))
                    .map(Delivery::nextAttemptAt).orElse(Instant.EPOCH);
            for (SendResult.Released r : released) dao.release(r.claim().delivery().id(), next);
            return null;
        });
    }

    private void attempted(Handle h, SendResult.Attempted a, List<Runnable> afterCommit) {
        Delivery delivery = a.claim().delivery();
        Instant now = a.at();
        if (a.outcome() instanceof SendOutcome.Sent sent) {
            // the common case, a thousand times a second in a paid-broadcast wave: a plain statement, no DAO to attach
            h.createUpdate(DeliveryDao.MARK_SENT).bind("id", delivery.id()).bind("messageId", sent.messageId()).bind("now", now).execute();
            if (sent.platformFileId() != null && a.claim().message() instanceof OutgoingMessage.Document doc
                    && !sent.platformFileId().equals(doc.platformFileId())) {
                h.attach(DeliveryDao.class).rememberFile(a.claim().platform().name(), a.claim().platform().account(), doc.sha256(),
                        sent.platformFileId(), now);
            }
            afterCommit.add(() -> metrics.sent(delivery, now));
            return;
        }
        DeliveryDao dao = h.attach(DeliveryDao.class);
        switch (a.outcome()) {
            case SendOutcome.Sent sent -> throw new IllegalStateException("recorded above");
            case SendOutcome.RetryAfter wait -> {
                Instant until = now.plus(wait.after());
                dao.waitUntil(delivery.id(), until, wait.reason());
                afterCommit.add(() -> metrics.retried("rate_limit"));
            }
            case SendOutcome.Moved moved -> {
                h.attach(ChatDao.class).move(a.claim().chat().id(), moved.newChatId());
                dao.waitUntil(delivery.id(), now, "chat moved to " + moved.newChatId());
                afterCommit.add(() -> log.info("chat moved chat={} to={}", a.claim().chat().id(), moved.newChatId()));
            }
            case SendOutcome.Rejected rejected -> {
                fail(dao, delivery, rejected.reason(), afterCommit);
                if (rejected.chatGone()) h.attach(ChatDao.class).setState(a.claim().chat().id(), Chat.LEFT);
            }
            case SendOutcome.Transient fault -> {
                afterCommit.add(() -> metrics.retried("transient"));
                if (delivery.attempts() + 1 >= Dispatcher.MAX_ATTEMPTS) {
                    fail(dao, delivery, "gave up after " + Dispatcher.MAX_ATTEMPTS + " attempts: " + fault.reason(), afterCommit);
                } else {
                    dao.retryAt(delivery.id(), now.plus(backoff.apply(delivery.attempts() + 1)), fault.reason());
                }
            }
        }
    }

    static void fail(DeliveryDao dao, Delivery delivery, String reason, List<Runnable> afterCommit) {
        dao.markFailed(delivery.id(), reason);
        afterCommit.add(() -> log.warn("delivery failed id={} meeting={} reason={}", delivery.id(), delivery.meetingId(), reason));
    }
}
