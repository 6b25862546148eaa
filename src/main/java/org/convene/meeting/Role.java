package org.convene.meeting;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A person's role in one unit. */
public enum Role {
    SECRETARY, DEPUTY, MEMBER, SUPERVISOR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        if (text == null || text.isBlank()) return Optional.of(MEMBER);
        String key = NameKey.of(text);
        return Arrays.stream(values()).filter(r -> r.wire().equals(key)).findFirst();
    }
}
