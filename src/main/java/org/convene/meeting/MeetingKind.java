package org.convene.meeting;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum MeetingKind {
    REGULAR, THEMATIC, PILOT, EXTRAORDINARY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MeetingKind> parse(String text) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(text)).findFirst();
    }
}
