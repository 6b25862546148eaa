package org.convene.chat;

/** Something that happened in a chat, as a platform reports it, already verified and de-duplicated. */
public sealed interface InboundEvent {
    String platform();

    String chatId();

    /** A member pressed one of our buttons; {@code callbackId} is what the platform needs to answer it. */
    record ButtonPressed(String platform, String chatId, String messageId, ChatUser user, String buttonId,
                         String callbackId) implements InboundEvent {}

    /** A text message; {@code replyToMessageId} is set when it answers another message. */
    record TextReceived(String platform, String chatId, String messageId, ChatUser user, String text,
                        String replyToMessageId, boolean privateChat) implements InboundEvent {}

    record BotJoined(String platform, String chatId, String title, ChatUser by) implements InboundEvent {}

    /** The bot was removed; {@code kicked} when it was thrown out rather than left. */
    record BotLeft(String platform, String chatId, boolean kicked) implements InboundEvent {}

    /** The chat has a new id on the platform (a Telegram group that became a supergroup). */
    record ChatMigrated(String platform, String chatId, String newChatId) implements InboundEvent {}
}
