package org.convene.chat;

/** A button under a message; {@code id} comes back in {@link InboundEvent.ButtonPressed} (ASCII, at most 64 bytes). */
public record Button(String id, String label) {
    public Button {
        if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
            throw new IllegalArgumentException("button id longer than 64 bytes: " + id);
        }
    }
}
