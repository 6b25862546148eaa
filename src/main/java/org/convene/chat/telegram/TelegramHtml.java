package org.convene.chat.telegram;

import java.util.ArrayList;
import java.util.List;
import org.convene.chat.ChatUser;

/**
 * Convene's plain texts as Telegram HTML ({@code parse_mode=HTML}): {@code & < >} escaped, mentions as
 * {@code @username} or a text mention, and cut into parts that fit Telegram's limits. The limits count
 * what a reader sees after the markup is parsed, so lengths are measured on the plain text (in UTF-16
 * units, which is never less than what Telegram counts).
 */
final class TelegramHtml {
    /** sendMessage / editMessageText: 1–4096 characters after entity parsing. */
    static final int MESSAGE_LIMIT = 4096;
    /** sendDocument's caption: 0–1024 characters after entity parsing. */
    static final int CAPTION_LIMIT = 1024;

    private TelegramHtml() {}

    /** A line as it shows ({@code visible}) and as it is sent ({@code html}). */
    private record Line(String visible, String html) {
        static Line plain(String text) {
            return new Line(text, escape(text));
        }

        /** The text with a text mention over each linked name (links by start index). */
        static Line linked(String text, java.util.NavigableMap<Integer, ChatUser> links) {
            if (links.isEmpty()) return plain(text);
            StringBuilder html = new StringBuilder();
            int at = 0;
            for (var link : links.entrySet()) {
                String name = displayName(link.getValue());
                html.append(escape(text.substring(at, link.getKey())))
                        .append("<a href=\"tg://user?id=").append(escape(link.getValue().id())).append("\">")
                        .append(escape(name)).append("</a>");
                at = link.getKey() + name.length();
            }
            return new Line(text, html.append(escape(text.substring(at))).toString());
        }
    }

    /** Links the first free occurrence of the user's name in the text; false when the text does not name them. */
    private static boolean linkInPlace(List<String> pieces, List<java.util.TreeMap<Integer, ChatUser>> links, ChatUser user) {
        String name = displayName(user);
        if (name.isBlank()) return false;
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            for (int at = piece.indexOf(name); at >= 0; at = piece.indexOf(name, at + 1)) {
                int start = at;
                var before = links.get(i).floorEntry(start);
                boolean overlaps = before != null && before.getKey() + displayName(before.getValue()).length() > start;
                var after = links.get(i).ceilingEntry(start);
                overlaps |= after != null && after.getKey() < start + name.length();
                boolean wholeWord = (start == 0 || !Character.isLetterOrDigit(piece.charAt(start - 1)))
                        && (start + name.length() == piece.length() || !Character.isLetterOrDigit(piece.charAt(start + name.length())));
                if (!overlaps && wholeWord) {
                    links.get(i).put(start, user);
                    return true;
                }
            }
        }
        return false;
    }

    /** The only three characters Telegram's HTML needs escaped outside tags; quotes may stay. */
    static String escape(String plain) {
        StringBuilder out = new StringBuilder(plain.length() + 16);
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code @username} when the account has one (Telegram links it itself), otherwise a text mention by id. */
    static String mention(ChatUser user) {
        if (user.username() != null && !user.username().isBlank()) return escape("@" + user.username());
        return "<a href=\"tg://user?id=" + escape(user.id()) + "\">" + escape(displayName(user)) + "</a>";
    }

    private static String visibleMention(ChatUser user) {
        return user.username() != null && !user.username().isBlank() ? "@" + user.username() : displayName(user);
    }

    private static String displayName(ChatUser user) {
        return user.displayName() == null || user.displayName().isBlank() ? user.id() : user.displayName();
    }

    /**
     * The HTML parts of a text with its mentions on a last line, each part at most {@link #MESSAGE_LIMIT}
     * visible characters, split at line ends (a single longer line at a space, or hard).
     */
    static List<String> messageParts(String text, List<ChatUser> mentions) {
        return parts(text, mentions, MESSAGE_LIMIT);
    }

    static List<String> parts(String text, List<ChatUser> mentions, int limit) {
        List<String> pieces = new ArrayList<>();
        for (String line : (text == null ? "" : text).split("\n", -1)) pieces.addAll(hardSplit(line, limit));
        // a member the text already names is linked where the name stands; only the others go on a last line
        List<java.util.TreeMap<Integer, ChatUser>> links = new ArrayList<>();
        pieces.forEach(p -> links.add(new java.util.TreeMap<>()));
        List<ChatUser> unplaced = new ArrayList<>();
        for (ChatUser user : mentions) {
            if (!linkInPlace(pieces, links, user)) unplaced.add(user);
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) lines.add(Line.linked(pieces.get(i), links.get(i)));
        lines.addAll(mentionLines(unplaced, limit));
        List<String> parts = new ArrayList<>();
        List<Line> current = new ArrayList<>();
        int length = 0;
        for (Line line : lines) {
            int added = (current.isEmpty() ? 0 : 1) + line.visible().length();
            if (!current.isEmpty() && length + added > limit) {
                addPart(parts, current);
                current = new ArrayList<>();
                length = 0;
                added = line.visible().length();
            }
            current.add(line);
            length += added;
        }
        addPart(parts, current);
        if (parts.isEmpty()) parts.add(""); // Telegram answers "message text is empty"; the outcome says so
        return parts;
    }

    /** A caption within {@link #CAPTION_LIMIT}, cut with an ellipsis when longer. */
    static String caption(String plain) {
        return plain == null ? null : escape(cut(plain, CAPTION_LIMIT));
    }

    /** {@code plain} in at most {@code limit} characters: cut with "…", never inside a surrogate pair. */
    static String cut(String plain, int limit) {
        if (plain.length() <= limit) return plain;
        int end = limit - 1;
        if (Character.isHighSurrogate(plain.charAt(end - 1))) end--;
        return plain.substring(0, end) + "…";
    }

    /** Blank lines at the seams are dropped: a part never starts or ends with empty lines. */
    private static void addPart(List<String> parts, List<Line> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).visible().isBlank()) from++;
        while (to > from && lines.get(to - 1).visible().isBlank()) to--;
        if (from == to) return;
        StringBuilder html = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) html.append('\n');
            html.append(lines.get(i).html());
        }
        parts.add(html.toString());
    }

    private static List<Line> mentionLines(List<ChatUser> mentions, int limit) {
        List<Line> lines = new ArrayList<>();
        StringBuilder visible = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (ChatUser user : mentions) {
            String v = visibleMention(user);
            if (visible.length() > 0 && visible.length() + 1 + v.length() > limit) {
                lines.add(new Line(visible.toString(), html.toString()));
                visible.setLength(0);
                html.setLength(0);
            }
            if (visible.length() > 0) {
                visible.append(' ');
                html.append(' ');
            }
            visible.append(v);
            html.append(mention(user));
        }
        if (visible.length() > 0) lines.add(new Line(visible.toString(), html.toString()));
        return lines;
    }

    /** A line longer than the limit, cut at the last space that fits, or at the limit itself. */
    private static List<String> hardSplit(String line, int limit) {
        List<String> pieces = new ArrayList<>();
        String rest = line;
        while (rest.length() > limit) {
            int cut = rest.lastIndexOf(' ', limit);
            if (cut <= 0) {
                cut = limit;
                if (Character.isHighSurrogate(rest.charAt(cut - 1))) cut--;
                pieces.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            } else {
                pieces.add(rest.substring(0, cut));
                rest = rest.substring(cut + 1);
            }
        }
        pieces.add(rest);
        return pieces;
    }
}
