package org.convene.meeting;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A name or phrase folded for matching: lower case, Vietnamese diacritics removed (đ becomes d),
 * white space collapsed. "Nguyễn Thị  Lan" and "nguyen thi lan" have the same key.
 */
public final class NameKey {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private NameKey() {}

    public static String of(String text) {
        if (text == null) return "";
        String decomposed = Normalizer.normalize(text.strip(), Normalizer.Form.NFD);
        String plain = MARKS.matcher(decomposed).replaceAll("").replace('đ', 'd').replace('Đ', 'D');
        return SPACES.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ");
    }
}
