package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;

/**
 * Telegram's Update objects as Convene's events. Pure: JSON in, at most one event out (an Update carries
 * at most one of its optional fields), nothing stored. Kinds Convene does not act on give no event.
 */
final class TelegramUpdates {
    private static final Set<String> PRESENT = Set.of("creator", "administrator", "member");

    /** One update: its id (for de-duplication and the polling offset) and what it means, if anything. */
    record Update(long updateId, Optional<InboundEvent> event) {}

    private final String botUsername;

    /** @param botUsername the bot's own username from getMe, or null when unknown (then every command is ours) */
    TelegramUpdates(String botUsername) {
        this.botUsername = botUsername;
    }

    /** Empty when the JSON is not an Update at all (no numeric {@code update_id}). */
    Optional<Update> parse(JsonNode update) {
        if (update == null || !update.path("update_id").canConvertToLong() || !update.path("update_id").isIntegralNumber()) {
            return Optional.empty();
        }
        long id = update.get("update_id").asLong();
        InboundEvent event = null;
        if (update.has("callback_query")) {
            event = buttonPressed(update.get("callback_query"));
        } else if (update.has("message")) {
            event = message(update.get("message"));
        } else if (update.has("my_chat_member")) {
            event = membership(update.get("my_chat_member"));
        }
        return Optional.of(new Update(id, Optional.ofNullable(event)));
    }

    /**
     * A press on one of our inline buttons. {@code message} may be an InaccessibleMessage (date 0, too old
     * or deleted): it still names the chat and the message, which is all a press needs.
     */
    private static InboundEvent buttonPressed(JsonNode query) {
        JsonNode message = query.path("message");
        if (!query.hasNonNull("data") || !message.path("chat").hasNonNull("id")) return null; // a game, or an inline-mode message
        return new InboundEvent.ButtonPressed(TelegramPlatform.NAME, message.path("chat").get("id").asText(),
                message.path("message_id").asText(), user(query.path("from")), query.get("data").asText(), query.path("id").asText());
    }

    private InboundEvent message(JsonNode message) {
        JsonNode chat = message.path("chat");
        if (!chat.hasNonNull("id")) return null;
        String chatId = chat.get("id").asText();
        // a group became a supergroup: the old group gets migrate_to_chat_id, the new one migrate_from_chat_id
        if (message.hasNonNull("migrate_to_chat_id")) {
            return new InboundEvent.ChatMigrated(TelegramPlatform.NAME, chatId, message.get("migrate_to_chat_id").asText());
        }
        if (message.hasNonNull("migrate_from_chat_id")) {
            return new InboundEvent.ChatMigrated(TelegramPlatform.NAME, message.get("migrate_from_chat_id").asText(), chatId);
        }
        if (!message.hasNonNull("text") || !message.has("from")) return null;
        String text = message.get("text").asText();
        if (addressedToAnotherBot(text)) return null;
        JsonNode replyTo = message.path("reply_to_message");
        return new InboundEvent.TextReceived(TelegramPlatform.NAME, chatId, message.path("message_id").asText(), user(message.get("from")),
                text, replyTo.hasNonNull("message_id") ? replyTo.get("message_id").asText() : null, "private".equals(chat.path("type").asText()));
    }

    /** {@code /link@other_bot CODE} in a group with several bots is not for us. */
    private boolean addressedToAnotherBot(String text) {
        if (botUsername == null || !text.startsWith("/")) return false;
        String command = text.strip().split("\\s+", 2)[0];
        int at = command.indexOf('@');
        return at >= 0 && !command.substring(at + 1).toLowerCase(Locale.ROOT).equals(botUsername.toLowerCase(Locale.ROOT));
    }

    /**
     * The bot's own membership changed. Joined only when it was not in the chat before (a promotion to
     * administrator is not a join); left or kicked whenever it is out now.
     */
    private static InboundEvent membership(JsonNode change) {
        JsonNode chat = change.path("chat");
        if (!chat.hasNonNull("id")) return null;
        String chatId = chat.get("id").asText();
        boolean wasIn = present(change.path("old_chat_member"));
        boolean isIn = present(change.path("new_chat_member"));
        String status = change.path("new_chat_member").path("status").asText();
        if (isIn && !wasIn) {
            return new InboundEvent.BotJoined(TelegramPlatform.NAME, chatId, chat.path("title").asText(null), user(change.path("from")));
        }
        if (!isIn && (wasIn || !status.equals(change.path("old_chat_member").path("status").asText()))) {
            return new InboundEvent.BotLeft(TelegramPlatform.NAME, chatId, status.equals("kicked"));
        }
        return null;
    }

    /** A member, an administrator, the owner, or restricted but still in the chat. */
    private static boolean present(JsonNode member) {
        String status = member.path("status").asText();
        return PRESENT.contains(status) || (status.equals("restricted") && member.path("is_member").asBoolean(false));
    }

    private static ChatUser user(JsonNode from) {
        String name = from.path("first_name").asText("");
        if (from.hasNonNull("last_name")) name = (name + " " + from.get("last_name").asText()).strip();
        return new ChatUser(from.path("id").asText(), name, from.path("username").asText(null));
    }
}
