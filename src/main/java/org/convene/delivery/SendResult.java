package org.convene.delivery;

import java.time.Instant;
import org.convene.chat.ChatPlatform;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.meeting.Chat;

/** What became of one claimed delivery once its chat's sends ended, for the outbox to record. */
sealed interface SendResult {
    Claim claim();

    /**
     * A delivery claimed ({@code sending}) and ready to go: its chat, platform and message.
     *
     * @param message    what to send; null for a tally edit, whose text is made after the claim (an answer
     *                   recorded after the claim then asks for an edit of its own instead of being missed)
     * @param editOf     the message id a tally edit replaces, or null for a new message
     * @param uploadSha  the content hash when this send uploads a document (no file id yet), else null
     * @param slot       the instant its account's and chat's pace let it leave at (it waits for it)
     */
    record Claim(Delivery delivery, Chat chat, ChatPlatform platform, Payload payload, OutgoingMessage message, String editOf,
                 String uploadSha, Instant slot) {}

    /** It was sent (or tried) and the platform answered {@code outcome}. */
    record Attempted(Claim claim, SendOutcome outcome, Instant at) implements SendResult {}

    /** It was not tried: an earlier message of the same chat did not go, and a chat's messages keep their order. */
    record Released(Claim claim) implements SendResult {}
}
