package org.convene.meeting;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A membership's standing on a day. An exempt member (old age, illness, work far away) is on the roster
 * but counted apart, never in a rate's denominator; a temporary one attends this unit for a while from
 * another and counts here like the others.
 */
public enum MemberStatus {
    OFFICIAL("chinh thuc", "dang vien chinh thuc"), PROBATIONARY("du bi", "dang vien du bi"),
    EXEMPT("mien sinh hoat", "mien"), TEMPORARY("tam thoi", "sinh hoat tam thoi");

    /** The words a roster file in Vietnamese uses, folded by {@link NameKey}. */
    private final List<String> words;

    MemberStatus(String... words) {
        this.words = List.of(words);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the member is expected at the unit's meetings, and so in the denominator. */
    public boolean counted() {
        return this != EXEMPT;
    }

    public static Optional<MemberStatus> parse(String text) {
        if (text == null) return Optional.empty();
        String key = NameKey.of(text);
        return Arrays.stream(values()).filter(s -> s.wire().equals(key) || s.words.contains(key)).findFirst();
    }

    /** Why a membership ended. */
    public enum LeftReason {
        MOVED("chuyen di", "chuyen noi o"), TRANSFERRED("chuyen sinh hoat"), DECEASED("tu tran", "qua doi"), REMOVED("xoa ten", "khai tru");

        private final List<String> words;

        LeftReason(String... words) {
            this.words = List.of(words);
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<LeftReason> parse(String text) {
            if (text == null) return Optional.empty();
            String key = NameKey.of(text);
            return Arrays.stream(values()).filter(s -> s.wire().equals(key) || s.words.contains(key)).findFirst();
        }
    }
}
