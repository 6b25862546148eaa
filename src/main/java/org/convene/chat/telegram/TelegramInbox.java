package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.convene.chat.InboundEvent;
import org.convene.chat.InboundUpdates;
import org.convene.chat.InboundHandler;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where updates from either way in (webhook or long polling) meet: understood, de-duplicated by
 * {@code update_id}, handed to Convene.
 *
 * <p>The id is taken in its own short transaction before the event is handled, not in one transaction
 * with the handling: handling may post a reply through the Bot API (a {@code /link} confirmation), and
 * holding SQLite's single write lock across an outbound call would stall the dispatcher and every other
 * webhook. When handling fails the id is given back, so Telegram's redelivery is handled; only a crash
 * between the two steps can lose an update (the member taps again).
 */
final class TelegramInbox {
    private static final Logger log = LoggerFactory.getLogger(TelegramInbox.class);
    /** Telegram keeps undelivered updates 24 h; ids are remembered twice as long. */
    static final Duration REMEMBER = Duration.ofHours(48);

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

    private final InboundUpdates seen;
    private final TelegramUpdates updates;
    private final InboundHandler handler;
    private final String botId;

    TelegramInbox(Jdbi jdbi, Writes writes, Clock clock, TelegramUpdates updates, InboundHandler handler, String botId) {
        this.seen = new InboundUpdates(jdbi, writes, clock, TelegramPlatform.NAME, REMEMBER);
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
        String key = key(id);
        if (!seen.take(key)) {
            log.debug("telegram update seen before update={}", id);
            return new Received.Duplicate(id);
        }
        try {
            String notice = handler.handle(event);
            return new Received.Handled(id, event, notice);
        } catch (RuntimeException e) {
            seen.release(key);
            throw e;
        }
    }

    /**
     * Update ids are the bot's own sequence, so they are kept per bot: a new token for another bot must
     * not find its updates "seen" (ids also restart at random after a week without updates).
     */
    private String key(long updateId) {
        return botId + ":" + updateId;
    }
}
