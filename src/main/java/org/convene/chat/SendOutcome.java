package org.convene.chat;

import java.time.Duration;

/** What became of one send; expected platform answers are values here, not exceptions. */
public sealed interface SendOutcome {

    /** Posted; {@code platformFileId} is set when a document's content got an id to re-send it by. */
    record Sent(String messageId, String platformFileId) implements SendOutcome {
        public Sent(String messageId) {
            this(messageId, null);
        }
    }

    /** The platform's rate limit: try again after {@code after}. */
    record RetryAfter(Duration after, String reason) implements SendOutcome {}

    /** The chat has a new id; resend there. */
    record Moved(String newChatId) implements SendOutcome {}

    /** Will never succeed as it is; {@code chatGone} when the bot was removed or blocked. */
    record Rejected(String reason, boolean chatGone) implements SendOutcome {}

    /** A network error or a server fault: try again later with back-off. */
    record Transient(String reason) implements SendOutcome {}
}
