package org.convene.chat;

import java.util.ArrayList;
import java.util.List;

/** Long texts cut into messages a platform takes: at line ends where it can, else at a space, never inside a surrogate pair. */
public final class TextParts {
    private TextParts() {}

    /** Parts of at most {@code limit} characters, each without trailing blanks; an empty text is one empty part. */
    public static List<String> cut(String text, int limit) {
        List<String> parts = new ArrayList<>();
        String rest = text == null ? "" : text;
        while (rest.length() > limit) {
            int cut = rest.lastIndexOf('\n', limit);
            if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
            if (cut < limit / 2) cut = limit;
            if (Character.isHighSurrogate(rest.charAt(cut - 1))) cut--;
            parts.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        parts.add(rest.stripTrailing());
        return parts;
    }
}
