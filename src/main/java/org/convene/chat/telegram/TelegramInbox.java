package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.convene.chat.InboundEvent;
import org.convene.chat.InboundHandler;
import org.convene.chat.Receipt;
import org.convene.store.Writes;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where updates from either way in (webhook or long polling) meet: understood, de-duplicated by
 * {@code update_id}, handed to Convene.
 *
 * <p>An update's id is remembered in the same transaction as the answer it carries (a {@link Receipt}),
 * so that a crash at any point neither loses an acknowledgement (its id is not remembered either, and
 * Telegram's redelivery is handled) nor counts one twice. An update that carries no answer (a command,
 * a refused press) has its id remembered after it was handled: a crash in between handles it again on
 * redelivery, which can only repeat a reply, never lose one. Ids are not taken before handling because
 * handling may call the Bot API (a {@code /link} confirmation), and SQLite's one write lock must not be
 * held across an outbound call.
 */
final class TelegramInbox {
    private static final Logger log = LoggerFactory.getLogger(TelegramInbox.class);
    /** Telegram keeps undelivered updates 24 h; ids are remembered twice as long. */
    static final Duration REMEMBER = Duration.ofHours(48);
    private static final Duration FORGET_EVERY = Duration.ofHours(1);

    /** What became of one update. */
    sealed interface Received {
        /** Not a Telegram Update (no numeric update_id). */
        record NotAnUpdate() implements Received {}

        /** A kind of update Convene does not act on. */
        record Ignored(long updateId) implements Received {}

        /** Its id was taken in before: a redelivery. */
        record Duplicate(long updateId) implements Received {}

        /** Handled; {@code notice} is the answer for a button press (may be null). */
        record Handled(long updateId, InboundEvent event, String notice) implements Received {}
    }

    private final Jdbi jdbi;
    private final Writes writes;
    private final Clock clock;
    private final TelegramUpdates updates;
    private final InboundHandler handler;
    private final String botId;
    private volatile Instant forgottenAt = Instant.MIN;

    TelegramInbox(Jdbi jdbi, Writes writes, Clock clock, TelegramUpdates updates, InboundHandler handler, String botId) {
        this.jdbi = jdbi;
        this.writes = writes;
        this.clock = clock;
        this.updates = updates;
        this.handler = handler;
        this.botId = botId;
    }

    Received receive(JsonNode json) {
        Optional<TelegramUpdates.Update> update = updates.parse(json);
        if (update.isEmpty()) return new Received.NotAnUpdate();
        long id = update.get().updateId();
        if (update.get().event().isEmpty()) return new Received.Ignored(id);
        InboundEvent event = update.get().event().get();
        Instant now = clock.instant();
        forgetOldNowAndThen(now);
        String key = key(id);
        if (seen(key)) {
            log.debug("telegram update seen before update={}", id);
            return new Received.Duplicate(id);
        }
        UpdateReceipt receipt = new UpdateReceipt(key, now);
        String notice = handler.handle(event, receipt);
        if (!receipt.taken) {
            // through the writer, not an INSERT of its own: a lone write colliding with a batch would sleep in SQLite's busy handler
            writes.inTransaction(receipt::takeIn);
        }
        return new Received.Handled(id, event, notice);
    }

    private boolean seen(String key) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM inbound_updates WHERE platform = :platform AND update_id = :id")
                .bind("platform", TelegramPlatform.NAME).bind("id", key).mapTo(Integer.class).findOne().isPresent());
    }

    /** The update's id, remembered in the transaction of the answer it carries (or after handling, when it carries none). */
    private static final class UpdateReceipt implements Receipt {
        private final String key;
        private final Instant now;
        /** Set once the transaction that took the id has committed. */
        private volatile boolean taken;

        UpdateReceipt(String key, Instant now) {
            this.key = key;
            this.now = now;
        }

        @Override
        public boolean takeIn(Handle h) {
            boolean fresh = h.createUpdate(InboundUpdateDao.TAKE).bind("platform", TelegramPlatform.NAME).bind("id", key).bind("now", now)
                    .execute() == 1;
            // taken now, or by a concurrent delivery of the same update: either way there is nothing left to take
            h.afterCommit(() -> taken = true);
            return fresh;
        }
    }

    /**
     * Update ids are the bot's own sequence, so they are kept per bot: a new token for another bot must
     * not find its updates "seen" (ids also restart at random after a week without updates).
     */
    private String key(long updateId) {
        return botId + ":" + updateId;
    }

    private void forgetOldNowAndThen(Instant now) {
        if (Duration.between(forgottenAt, now).compareTo(FORGET_EVERY) < 0) return;
        forgottenAt = now;
        int forgotten = jdbi.withExtension(InboundUpdateDao.class, d -> d.forgetBefore(TelegramPlatform.NAME, now.minus(REMEMBER)));
        if (forgotten > 0) log.debug("forgot {} telegram update ids older than {}", forgotten, REMEMBER);
    }
}
