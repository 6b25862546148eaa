package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;

/**
 * Zalo's webhook events as Convene's events. Pure: JSON in, at most one event out, nothing stored. Only
 * texts are acted on: {@code user_send_group_text} in an OA group (GMF) and {@code user_send_text} to the
 * OA one-to-one; every other event (images, stickers, follows, the OA's own echoes) gives no event.
 */
final class ZaloEvents {
    static final String GROUP_TEXT = "user_send_group_text";
    static final String USER_TEXT = "user_send_text";

    /** One text event: its {@code msg_id} (for de-duplication) and what it means. */
    record Text(String msgId, InboundEvent.TextReceived event) {}

    private ZaloEvents() {}

    /** Empty for events Convene does not act on, or texts without a message id, a sender or a chat. */
    static Optional<Text> parse(JsonNode body) {
        String name = body.path("event_name").asText("");
        boolean group = name.equals(GROUP_TEXT);
        if (!group && !name.equals(USER_TEXT)) return Optional.empty();
        JsonNode message = body.path("message");
        String msgId = message.path("msg_id").asText("");
        String senderId = body.path("sender").path("id").asText("");
        if (msgId.isEmpty() || senderId.isEmpty() || !message.hasNonNull("text")) return Optional.empty();
        String chatId = group ? groupId(body) : senderId;
        if (chatId.isEmpty()) return Optional.empty();
        String quoted = message.path("quote_msg_id").asText("");
        if (quoted.isEmpty()) quoted = message.path("quote_msg").path("msg_id").asText("");
        ChatUser user = new ChatUser(senderId, body.path("sender").path("display_name").asText(""), null);
        return Optional.of(new Text(msgId, new InboundEvent.TextReceived(ZaloPlatform.NAME, chatId, msgId, user,
                message.get("text").asText(), quoted.isEmpty() ? null : quoted, !group)));
    }

    /**
     * Where a group event names its group: {@code recipient.id} (in a group event the recipient is the group,
     * not the OA), read first as the captures show; some integrators read {@code recipient.group_id}
     * or {@code message.conversation_id}, which stand in, in that order, when it is missing.
     */
    private static String groupId(JsonNode body) {
        for (JsonNode candidate : new JsonNode[] {body.path("recipient").path("id"), body.path("recipient").path("group_id"),
                body.path("message").path("conversation_id")}) {
            if (candidate.isValueNode() && !candidate.asText().isBlank()) return candidate.asText();
        }
        return "";
    }
}
