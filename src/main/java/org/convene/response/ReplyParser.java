package org.convene.response;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.convene.meeting.NameKey;

/**
 * Understands the short replies members type, in Vietnamese and English, without regard to case or
 * diacritics: "có", "có mặt", "tham gia", "đã nhận", "vắng vì ốm", "xin vắng: đi rừng", "yes",
 * "no, travelling", "/yes", "/no REASON". Anything else is not a reply (empty): small talk stays
 * unanswered. Whole-message phrases only, so "có ai mang loa không?" is not a yes.
 */
public final class ReplyParser {
    private static final Set<String> RECEIVED = Set.of("da nhan", "nhan duoc", "da nhan duoc", "da nhan tai lieu", "nhan roi",
            "da doc", "received", "got it", "/received", "/ack");
    private static final Set<String> YES = Set.of("co", "co mat", "se co mat", "toi co mat", "tham gia", "se tham gia", "toi tham gia",
            "toi se tham gia", "dong y tham gia", "yes", "y", "/yes", "coming", "i'll come", "i will come", "i'll be there", "attend", "will attend");
    private static final List<String> NO = List.of("xin vang mat", "xin vang", "vang mat", "vang", "khong tham gia", "khong den duoc",
            "khong the tham gia", "khong den", "no", "/no", "can't come", "cannot come", "cant come", "can not come", "absent", "not coming");
    private static final Set<String> CONNECTORS = Set.of("vi", "do", "ly do", "because", "due to", "as", "-", ":", ",");
    private static final Set<String> POLITE = Set.of("a", "nhe", "nha", "please", "thanks", "cam on");

    private ReplyParser() {}

    public static Optional<Answer> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 300) return Optional.empty();
        List<String> original = tokens(text);
        List<String> keys = original.stream().map(ReplyParser::key).toList();
        String whole = String.join(" ", dropPolite(keys)).strip();
        if (RECEIVED.contains(whole)) return Optional.of(new Answer.Received());
        if (YES.contains(whole)) return Optional.of(new Answer.Coming());
        if (isVang(original, keys)) return Optional.empty();
        for (String phrase : NO) {
            int n = phrase.split(" ").length;
            if (keys.size() >= n && String.join(" ", keys.subList(0, n)).equals(phrase)) {
                return Optional.of(absent(original.subList(n, original.size()), keys.subList(n, keys.size())));
            }
        }
        return Optional.empty();
    }

    /**
     * "vâng" (yes, politely) and "vắng" (absent) fold to the same letters; only the written accent
     * tells them apart, so "vâng" is never taken as absent (nor as a yes: it may just mean "noted").
     */
    private static boolean isVang(List<String> original, List<String> keys) {
        return !keys.isEmpty() && keys.get(0).equals("vang")
                && java.text.Normalizer.normalize(original.get(0), java.text.Normalizer.Form.NFC).toLowerCase().contains("â");
    }

    /** The free text of a reason (what the member wrote) with a code guessed from its words. */
    public static Answer.Absent reason(String text) {
        String reason = text == null ? "" : text.strip();
        return new Answer.Absent(reason.isEmpty() ? null : codeOf(NameKey.of(reason)), reason.isEmpty() ? null : reason);
    }

    private static Answer.Absent absent(List<String> restOriginal, List<String> restKeys) {
        int skip = 0;
        while (skip < restKeys.size() && (CONNECTORS.contains(restKeys.get(skip)) || restKeys.get(skip).isEmpty()
                || (skip + 1 < restKeys.size() && CONNECTORS.contains(restKeys.get(skip) + " " + restKeys.get(skip + 1))))) {
            skip += CONNECTORS.contains(restKeys.get(skip)) || restKeys.get(skip).isEmpty() ? 1 : 2;
        }
        String reason = String.join(" ", restOriginal.subList(Math.min(skip, restOriginal.size()), restOriginal.size())).strip();
        reason = reason.replaceAll("^[\\s:,;.\\-–—]+", "").strip();
        if (reason.isEmpty()) return new Answer.Absent(null, null);
        return new Answer.Absent(codeOf(NameKey.of(reason)), reason);
    }

    /** sick, work, travel, family or other, from the words of a reason. */
    static String codeOf(String key) {
        String k = " " + key.replaceAll("[^a-z0-9' ]", " ").replaceAll("\\s+", " ").strip() + " ";
        if (containsAny(k, "om", "benh", "sot", "dau", "cum", "nam vien", "sick", "ill", "hospital", "fever", "doctor")) return "sick";
        if (containsAny(k, "gia dinh", "con", "vo", "chong", "bo", "me", "dam cuoi", "dam gio", "dam hieu", "cuoi", "gio", "tang",
                "family", "wedding", "funeral", "child", "kids")) return "family";
        if (containsAny(k, "di xa", "ve que", "du lich", "xa nha", "travel", "travelling", "traveling", "trip", "away", "abroad")) return "travel";
        if (containsAny(k, "cong tac", "cong viec", "di lam", "lam ca", "truc", "di rung", "len nuong", "ra dong", "lam ruong", "xuong mo",
                "work", "working", "shift", "business", "job", "duty")) return "work";
        return "other";
    }

    private static boolean containsAny(String padded, String... words) {
        return Arrays.stream(words).anyMatch(w -> padded.contains(" " + w + " "));
    }

    private static List<String> tokens(String text) {
        // separators stand as their own tokens so "vắng:" and "no," split from what follows
        String spaced = text.strip().replaceAll("([:,;])", " $1 ");
        return new ArrayList<>(Arrays.asList(spaced.strip().split("\\s+")));
    }

    private static String key(String token) {
        String k = NameKey.of(token);
        return k.equals(":") || k.equals(",") || k.equals(";") ? k : k.replaceAll("[!?.…]+$", "");
    }

    private static List<String> dropPolite(List<String> keys) {
        List<String> kept = new ArrayList<>(keys);
        while (!kept.isEmpty() && (POLITE.contains(kept.get(kept.size() - 1)) || kept.get(kept.size() - 1).isEmpty())) kept.remove(kept.size() - 1);
        return kept;
    }
}
