package org.convene.chat;

/**
 * What a platform can do and the limits it declares. Rates of 0 mean "no declared limit".
 *
 * @param messagesPerSecond  sends per second for the whole bot account (Telegram: about 30)
 * @param messagesPerMinutePerChat  sends per minute into one group (Telegram: 20)
 */
public record Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength,
                           double messagesPerSecond, int messagesPerMinutePerChat) {}
