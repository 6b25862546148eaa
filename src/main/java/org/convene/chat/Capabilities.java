package org.convene.chat;

/**
 * What a platform can do and the limits it declares. Rates of 0 mean "no declared limit".
 *
 * @param messagesPerSecond  sends per second for the whole bot account (Telegram: about 30)
 * @param messagesPerMinutePerChat  sends per minute into one group (Telegram: 20)
 * @param allGroupMessages  whether the bot receives every message of a group; false (Telegram's privacy mode) when it
 *     gets only commands, replies to its own messages and service messages, so typed answers must be replies
 * @param photosByUrl  a platform without documents can still post a picture the platform fetches from a public
 *                     address (Zalo Bot's sendPhoto): image materials go that way, the rest by the materials page
 */
public record Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength,
                           double messagesPerSecond, int messagesPerMinutePerChat, boolean allGroupMessages, boolean photosByUrl) {
    /** A platform that hands the bot every message of its groups and posts no pictures by address. */
    public Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength, double messagesPerSecond,
                        int messagesPerMinutePerChat) {
        this(buttons, documents, edits, maxTextLength, messagesPerSecond, messagesPerMinutePerChat, true, false);
    }
}
