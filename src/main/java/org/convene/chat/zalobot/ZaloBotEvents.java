package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;

/**
 * The Bot Platform's events as Convene's events. Pure: JSON in, at most one event out, nothing stored.
 * Only {@code message.text.received} is acted on; images, stickers, voice, {@code message.unsupported.received}
 * (sent instead of the content for some senders) and event names Zalo adds later are passed over, not refused.
 */
final class ZaloBotEvents {
    static final String TEXT = "message.text.received";

    /** What one webhook body or getUpdates result was. */
    sealed interface Parsed {
        /** Not an event at all: not an object, or no {@code event_name}. */
        record NotAnEvent(String why) implements Parsed {}

        /** An event Convene does not act on. */
        record Ignored(String eventName) implements Parsed {}

        /** A member's text; {@code messageId} de-duplicates redeliveries. */
        record Text(String messageId, InboundEvent.TextReceived event) implements Parsed {}
    }

    private ZaloBotEvents() {}

    /**
     * Zalo documents the event wrapped as {@code {"ok":true,"result":{event_name, message}}}; integrators
     * also see it delivered bare, {@code {event_name, message}}. Both are read.
     */
    static Parsed parse(JsonNode body) {
        if (body == null || !body.isObject()) return new Parsed.NotAnEvent("the body is not one JSON object");
        JsonNode event = body.path("result").isObject() ? body.get("result") : body;
        if (!event.path("event_name").isTextual()) return new Parsed.NotAnEvent("the body has no event_name");
        String name = event.get("event_name").asText();
        if (!name.equals(TEXT)) return new Parsed.Ignored(name);
        JsonNode message = event.path("message");
        JsonNode from = message.path("from");
        JsonNode chat = message.path("chat");
        String messageId = message.path("message_id").asText("");
        String senderId = from.path("id").asText("");
        String chatId = chat.path("id").asText("");
        if (messageId.isEmpty() || senderId.isEmpty() || chatId.isEmpty() || !message.path("text").isTextual()) {
            return new Parsed.Ignored(name + " without a message id, sender, chat or text");
        }
        // a bot's own words (or another bot's) are never answers
        if (from.path("is_bot").asBoolean(false)) return new Parsed.Ignored(name + " from a bot");
        boolean group = "GROUP".equalsIgnoreCase(chat.path("chat_type").asText(""));
        ChatUser user = new ChatUser(senderId, displayName(from), null);
        return new Parsed.Text(messageId, new InboundEvent.TextReceived(ZaloBotPlatform.NAME, chatId, messageId, user,
                message.get("text").asText(), null, !group));
    }

    /** The webhook sample says {@code display_name}, the getUpdates sample {@code first_name}. */
    private static String displayName(JsonNode from) {
        for (String field : new String[] {"display_name", "first_name", "name"}) {
            if (from.path(field).isTextual() && !from.get(field).asText().isBlank()) return from.get(field).asText();
        }
        return "";
    }
}
