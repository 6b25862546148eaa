package org.convene.chat.local;

import java.time.Instant;
import java.util.List;

/** One message in a local chat; {@code from} is a local user id, or {@code "bot"} for Convene's own. */
public record LocalMessage(long messageId, String chatId, String from, String fromName, String text,
                           List<List<LocalButton>> buttonRows, LocalDocument document, List<String> mentions,
                           Long replyTo, Instant sentAt, Instant editedAt, int editCount) {
    public record LocalButton(String id, String label) {}

    /** A posted file; {@code path} is where the bytes are and never leaves the server. */
    public record LocalDocument(String filename, String mediaType, long size, String sha256, String path, String caption) {}
}
