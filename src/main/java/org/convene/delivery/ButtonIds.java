package org.convene.delivery;

import java.util.Optional;

/**
 * The ids carried by reply buttons: {@code r:<meetingId>:<a|y|n>}, ASCII and far below Telegram's
 * 64-byte callback_data limit.
 */
public final class ButtonIds {
    public enum Action {
        RECEIVED('a'), COMING('y'), ABSENT('n');

        final char code;

        Action(char code) {
            this.code = code;
        }
    }

    public record Parsed(long meetingId, Action action) {}

    private ButtonIds() {}

    public static String of(Action action, long meetingId) {
        return "r:" + meetingId + ":" + action.code;
    }

    public static Optional<Parsed> parse(String id) {
        if (id == null) return Optional.empty();
        String[] parts = id.split(":");
        if (parts.length != 3 || !parts[0].equals("r") || parts[2].length() != 1) return Optional.empty();
        try {
            long meetingId = Long.parseLong(parts[1]);
            for (Action a : Action.values()) if (a.code == parts[2].charAt(0)) return Optional.of(new Parsed(meetingId, a));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
