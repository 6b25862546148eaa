package org.convene.meeting;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A membership's standing on a day. An exempt member (old age, illness, work far away) is on the roster
 * but counted apart, never in a rate's denominator; a temporary one attends this unit for a while from
 * another and counts here like the others.
 */
public enum MemberStatus {
    OFFICIAL, PROBATIONARY, EXEMPT, TEMPORARY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the member is expected at the unit's meetings, and so in the denominator. */
    public boolean counted() {
        return this != EXEMPT;
    }

    public static Optional<MemberStatus> parse(String text) {
        if (text == null) return Optional.empty();
        return Arrays.stream(values()).filter(s -> s.wire().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** Why a membership ended. */
    public enum LeftReason {
        MOVED, TRANSFERRED, DECEASED, REMOVED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<LeftReason> parse(String text) {
            if (text == null) return Optional.empty();
            return Arrays.stream(values()).filter(s -> s.wire().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
        }
    }
}
