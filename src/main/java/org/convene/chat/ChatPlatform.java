package org.convene.chat;

/** One chat platform (Telegram, Zalo, the built-in local one) behind one narrow port. */
public interface ChatPlatform {
    /** The platform's name as stored with chats: {@code telegram}, {@code zalo}, {@code local}. */
    String name();

    /** The bot account messages are sent from (rate limits and uploaded file ids are per account). */
    String account();

    Capabilities capabilities();

    /**
     * How many sends of this account may be on their way at once. One for a platform whose sends are
     * local work; a remote API far away needs several in flight to keep its rate going.
     */
    default int concurrentSends() {
        return 1;
    }

    SendOutcome send(String chatId, OutgoingMessage message);

    /** Replaces the text (and buttons) of a message Convene posted earlier. */
    SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message);

    /**
     * The chat in which the bot can write to one account privately, where the platform allows it (Telegram:
     * the user's own id, once they have started the bot); empty where it does not.
     */
    default java.util.Optional<String> privateChatOf(String userId) {
        return java.util.Optional.empty();
    }

    /**
     * What the operator should know about this platform now (a bot that cannot join groups yet, a token the
     * platform refused, a refresh token getting old), shown on the home page; empty when all is well.
     */
    default java.util.List<Notice> notices() {
        return java.util.List.of();
    }

    /**
     * What {@code /health} shows of this platform (a token's age, whether the bot may join groups); names
     * and plain values, never a secret. Empty (the default) shows nothing.
     */
    default java.util.Map<String, Object> health() {
        return java.util.Map.of();
    }

    /** A notice by its text key ({@code notice_<key>} in the pages' texts) and the values it names. */
    record Notice(String key, java.util.List<String> args) {
        public Notice {
            args = java.util.List.copyOf(args);
        }
    }

    /** Acknowledges a button press with a short notice shown to the presser only. */
    void answer(InboundEvent.ButtonPressed press, String notice);

    /**
     * Marks a member's typed answer as taken without a message to the group (Telegram: a reaction on
     * it). False, the default, where the platform has no such way; the tally edit then shows it, if any.
     */
    default boolean acknowledge(InboundEvent.TextReceived text) {
        return false;
    }
}
