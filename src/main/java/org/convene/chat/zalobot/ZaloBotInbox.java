package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import org.convene.chat.InboundHandler;
import org.convene.chat.InboundUpdates;
import org.convene.store.Writes;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where events from either way in (webhook or long polling) meet: understood, de-duplicated by
 * {@code message_id} and handed to Convene. As for the other platforms the id is remembered with the
 * answer the event carries, in one transaction ({@link InboundUpdates}).
 */
final class ZaloBotInbox {
    private static final Logger log = LoggerFactory.getLogger(ZaloBotInbox.class);
    /** Zalo documents no redelivery window; message ids are remembered for two days, as for the other platforms. */
    static final Duration REMEMBER = Duration.ofHours(48);

    /** What became of one event. */
    enum Received { NOT_AN_EVENT, IGNORED, DUPLICATE, HANDLED }

    private final InboundUpdates seen;
    private final InboundHandler handler;
    private final String botId;

    ZaloBotInbox(Jdbi jdbi, Writes writes, Clock clock, InboundHandler handler, String botId) {
        this.seen = new InboundUpdates(jdbi, writes, clock, ZaloBotPlatform.NAME, REMEMBER);
        this.handler = handler;
        this.botId = botId;
    }

    Received receive(JsonNode body) {
        return switch (ZaloBotEvents.parse(body)) {
            case ZaloBotEvents.Parsed.NotAnEvent n -> Received.NOT_AN_EVENT;
            case ZaloBotEvents.Parsed.Ignored i -> {
                log.debug("zalo bot event passed over event={}", i.eventName());
                yield Received.IGNORED;
            }
            case ZaloBotEvents.Parsed.Text t -> {
                // message ids are the bot's: another bot's (a new token) must not find its messages "seen"
                String key = botId + ":" + t.messageId();
                if (seen.seen(key)) {
                    log.debug("zalo bot message seen before message={}", t.messageId());
                    yield Received.DUPLICATE;
                }
                InboundUpdates.Mark mark = seen.mark(key);
                handler.handle(t.event(), mark);
                mark.rememberIfNotYet();
                yield Received.HANDLED;
            }
        };
    }
}
