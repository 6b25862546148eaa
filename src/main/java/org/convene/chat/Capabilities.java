package org.convene.chat;

/**
 * What a platform can do and the limits it declares. Rates of 0 mean "no declared limit".
 *
 * @param messagesPerSecond  sends per second for the whole bot account (Telegram: about 30)
 * @param messagesPerMinutePerChat  sends per minute into one group (Telegram: 20)
 * @param photosByUrl  a platform without documents can still post a picture the platform fetches from a public
 *                     address (Zalo Bot's sendPhoto): image materials go that way, the rest by the materials page
 */
public record Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength,
                           double messagesPerSecond, int messagesPerMinutePerChat, boolean photosByUrl) {
    /** A platform that posts no pictures by address (those with documents post them as files). */
    public Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength, double messagesPerSecond,
                        int messagesPerMinutePerChat) {
        this(buttons, documents, edits, maxTextLength, messagesPerSecond, messagesPerMinutePerChat, false);
    }
}
