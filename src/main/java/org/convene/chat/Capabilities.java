package org.convene.chat;

import java.util.Locale;
import java.util.Set;

/**
 * What a platform can do and the limits it declares. Rates of 0 mean "no declared limit".
 *
 * @param messagesPerSecond  sends per second for the whole bot account (Telegram: about 30)
 * @param messagesPerMinutePerChat  sends per minute into one group (Telegram: 20)
 * @param allGroupMessages  whether the bot receives every message of a group; false (Telegram's privacy mode) when it
 *     gets only commands, replies to its own messages and service messages, so typed answers must be replies
 * @param photosByUrl  a platform without documents can still post a picture the platform fetches from a public
 *                     address (Zalo Bot's sendPhoto): image materials go that way, the rest by the materials page
 * @param maxDocumentBytes  the largest file it takes, 0 for no declared limit
 * @param documentTypes  the media types of the files it takes; empty for any
 */
public record Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength,
                           double messagesPerSecond, int messagesPerMinutePerChat, boolean allGroupMessages, boolean photosByUrl,
                           long maxDocumentBytes, Set<String> documentTypes) {
    public Capabilities {
        documentTypes = documentTypes == null ? Set.of() : Set.copyOf(documentTypes);
    }

    /** A platform that declares no limit on the files it takes. */
    public Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength, double messagesPerSecond,
                        int messagesPerMinutePerChat, boolean allGroupMessages, boolean photosByUrl) {
        this(buttons, documents, edits, maxTextLength, messagesPerSecond, messagesPerMinutePerChat, allGroupMessages, photosByUrl, 0, Set.of());
    }

    /** A platform that hands the bot every message of its groups, posts no pictures by address and declares no limit on files. */
    public Capabilities(boolean buttons, boolean documents, boolean edits, int maxTextLength, double messagesPerSecond,
                        int messagesPerMinutePerChat) {
        this(buttons, documents, edits, maxTextLength, messagesPerSecond, messagesPerMinutePerChat, true, false);
    }

    /** The same platform with these limits on files. */
    public Capabilities withDocumentLimits(long maxBytes, Set<String> types) {
        return new Capabilities(buttons, documents, edits, maxTextLength, messagesPerSecond, messagesPerMinutePerChat, allGroupMessages,
                photosByUrl, maxBytes, types);
    }

    /**
     * Why this platform would not take a file of this type and size, in words naming the platform (the
     * secretary reads it when attaching), or null when it would.
     *
     * @param typeLabel the type as people know it ("XLSX")
     */
    public String refusal(String platform, String filename, String mediaType, String typeLabel, long size) {
        String name = displayName(platform);
        if (!documents) return name + " cannot take files; " + filename + " goes there as a link";
        if (!documentTypes.isEmpty() && !documentTypes.contains(mediaType)) {
            return name + " takes no " + typeLabel + " files; " + filename + " goes there as a link";
        }
        if (maxDocumentBytes > 0 && size > maxDocumentBytes) {
            return name + " takes files of at most " + megabytes(maxDocumentBytes) + "; " + filename + " has " + megabytes(size)
                    + " and goes there as a link";
        }
        return null;
    }

    /** "Telegram", "Zalo": a platform's name as people write it. */
    public static String displayName(String platform) {
        return switch (platform) {
            case "telegram" -> "Telegram";
            case "zalo" -> "Zalo";
            case "zalobot" -> "Zalo Bot";
            case "local" -> "The local chat";
            default -> platform.isEmpty() ? platform : platform.substring(0, 1).toUpperCase(Locale.ROOT) + platform.substring(1);
        };
    }

    private static String megabytes(long bytes) {
        double mb = bytes / (1024.0 * 1024.0);
        return mb == Math.rint(mb) ? String.format(Locale.ROOT, "%.0f MB", mb) : String.format(Locale.ROOT, "%.1f MB", mb);
    }
}
