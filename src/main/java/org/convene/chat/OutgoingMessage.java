package org.convene.chat;

import java.nio.file.Path;
import java.util.List;

/** What Convene asks a platform to post. Texts are plain; each platform does its own escaping. */
public sealed interface OutgoingMessage {

    /** A text, optionally with rows of buttons and members to mention (a chase). */
    record Text(String text, List<List<Button>> buttons, List<ChatUser> mentions) implements OutgoingMessage {
        public Text {
            buttons = buttons == null ? List.of() : buttons.stream().map(List::copyOf).toList();
            mentions = mentions == null ? List.of() : List.copyOf(mentions);
        }

        public Text(String text) {
            this(text, List.of(), List.of());
        }
    }

    /**
     * A file with a caption; {@code platformFileId} is set when the platform already holds this content
     * (uploaded once per platform account, then re-sent by id).
     */
    record Document(String filename, String mediaType, long size, String sha256, Path file, String caption,
                    String platformFileId) implements OutgoingMessage {}
}
