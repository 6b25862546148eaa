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
 * <p>The id is remembered with the answer the update carries, in one transaction ({@link InboundUpdates}):
 * a crash at any point neither loses an acknowledgement nor counts one twice.
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
        // a press needs no look first: its answer and its id are one transaction, and a repeated press writes nothing
        // (the look would cost every tap a pooled connection, and 40 webhooks at once then queue for the pool)
        if (!(event instanceof InboundEvent.ButtonPressed) && seen.seen(key)) {
            log.debug("telegram update seen before update={}", id);
            return new Received.Duplicate(id);
        }
        InboundUpdates.Mark mark = seen.mark(key);
        String notice = handler.handle(event, mark);
        mark.rememberIfNotYet();
        return new Received.Handled(id, event, notice);
    }

    /**
     * Update ids are the bot's own sequence, so they are kept per bot: a new token for another bot must
     * not find its updates "seen" (ids also restart at random after a week without updates).
     */
    private String key(long updateId) {
        return botId + ":" + updateId;
    }
}
