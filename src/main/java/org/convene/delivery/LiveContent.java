package org.convene.delivery;

import java.util.Optional;
import org.convene.chat.OutgoingMessage;

/**
 * Message texts that depend on the answers so far, made when they are needed: the tally on the posted
 * agenda (rendered when the edit is sent, so a burst of answers becomes one edit with the latest
 * counts) and the chase of those who have not answered. Implemented by the response feature.
 */
public interface LiveContent {
    /** The posted agenda with its current tally. */
    OutgoingMessage.Text tally(long meetingId);

    /** The posted agenda with its current tally, as made for a chat on {@code platform}. */
    default OutgoingMessage.Text tally(long meetingId, String platform) {
        return tally(meetingId);
    }

    /** The chase for a chat on {@code platform}, or empty when everyone has answered. */
    Optional<OutgoingMessage.Text> chase(long meetingId, String platform);

    LiveContent NONE = new LiveContent() {
        @Override
        public OutgoingMessage.Text tally(long meetingId) {
            throw new IllegalStateException("no live content in this set-up");
        }

        @Override
        public Optional<OutgoingMessage.Text> chase(long meetingId, String platform) {
            return Optional.empty();
        }
    };
}
