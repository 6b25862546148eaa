package org.convene.meeting;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A person's role in one unit, read from its English wire word or the Vietnamese words rosters use. */
public enum Role {
    SECRETARY("bi thu", "secretary"),
    DEPUTY("pho bi thu", "deputy secretary"),
    MEMBER("dang vien", "dang vien chinh thuc", "dang vien du bi", "thanh vien", "doan vien", "hoi vien"),
    SUPERVISOR("giam sat", "kiem tra", "cap uy cap tren");

    private final List<String> words;

    Role(String... words) {
        this.words = List.of(words);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A blank role is a member; words are compared without case or diacritics ("Bí thư", "bi thu"). */
    public static Optional<Role> parse(String text) {
        if (text == null || text.isBlank()) return Optional.of(MEMBER);
        String key = NameKey.of(text);
        for (Role r : values()) if (r.wire().equals(key) || r.words.contains(key)) return Optional.of(r);
        return Optional.empty();
    }
}
