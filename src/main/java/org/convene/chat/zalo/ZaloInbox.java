package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.convene.chat.InboundHandler;
import org.convene.chat.InboundUpdates;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where verified webhook events are understood, de-duplicated by {@code msg_id} and handed to Convene. As
 * for Telegram, the id is remembered with the answer the event carries, in one transaction
 * ({@link InboundUpdates}), so that a crash neither loses an answer nor counts it twice.
 */
final class ZaloInbox {
    private static final Logger log = LoggerFactory.getLogger(ZaloInbox.class);
    /** Zalo redelivers for a while after a non-200; message ids are remembered for two days. */
    static final Duration REMEMBER = Duration.ofHours(48);

    /** What became of one event. */
    enum Received { IGNORED, DUPLICATE, HANDLED }

    private final InboundUpdates seen;
    private final InboundHandler handler;
    private final ZaloPlatform platform;

    ZaloInbox(Jdbi jdbi, Writes writes, Clock clock, InboundHandler handler, ZaloPlatform platform) {
        this.seen = new InboundUpdates(jdbi, writes, clock, ZaloPlatform.NAME, REMEMBER);
        this.handler = handler;
        this.platform = platform;
    }

    Received receive(JsonNode body) {
        Optional<ZaloEvents.Text> text = ZaloEvents.parse(body);
        if (text.isEmpty()) return Received.IGNORED;
        String id = text.get().msgId();
        if (seen.seen(id)) {
            log.debug("zalo event seen before msg={}", id);
            return Received.DUPLICATE;
        }
        if (text.get().event().privateChat()) platform.privateChat(text.get().event().chatId());
        InboundUpdates.Mark mark = seen.mark(id);
        handler.handle(text.get().event(), mark);
        mark.rememberIfNotYet();
        return Received.HANDLED;
    }
}
