package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.convene.chat.ChatUser;
import org.junit.jupiter.api.Test;

/** Plain texts as Telegram HTML, checked by the fake's parser of Telegram's HTML rules. */
class TelegramHtmlTest {
    @Test
    void ampersands_and_angle_brackets_are_escaped_and_read_back_as_they_were() {
        String plain = "Họp <quý IV> & tổng kết \"2026\" a->b";
        String html = TelegramHtml.escape(plain);
        assertThat(html).isEqualTo("Họp &lt;quý IV&gt; &amp; tổng kết \"2026\" a-&gt;b");
        assertThat(FakeBotApi.visible(html)).isEqualTo(plain);
    }

    @Test
    void a_mention_is_the_username_when_there_is_one_and_a_text_mention_by_id_otherwise() {
        assertThat(TelegramHtml.mention(new ChatUser("5550001", "Lan", "lan_tran"))).isEqualTo("@lan_tran");
        assertThat(TelegramHtml.mention(new ChatUser("5550002", "Minh <B>", null)))
                .isEqualTo("<a href=\"tg://user?id=5550002\">Minh &lt;B&gt;</a>");
    }

    @Test
    void mentions_go_on_a_last_line_of_their_own() {
        List<String> parts = TelegramHtml.messageParts("Còn thiếu trả lời:",
                List.of(new ChatUser("1", "Lan", "lan"), new ChatUser("2", "Minh", null)));
        assertThat(parts).containsExactly("Còn thiếu trả lời:\n@lan <a href=\"tg://user?id=2\">Minh</a>");
        assertThat(FakeBotApi.visible(parts.getFirst())).isEqualTo("Còn thiếu trả lời:\n@lan Minh");
    }

    @Test
    void a_member_the_text_names_is_linked_where_the_name_stands() {
        List<String> parts = TelegramHtml.messageParts("Chưa trả lời: Lan, Minh <2>, Lan Anh",
                List.of(new ChatUser("3", "Lan Anh", null), new ChatUser("1", "Lan", "lan"), new ChatUser("2", "Minh", null),
                        new ChatUser("4", "Hoa", null)));
        assertThat(parts).containsExactly("Chưa trả lời: <a href=\"tg://user?id=1\">Lan</a>, <a href=\"tg://user?id=2\">Minh</a> &lt;2&gt;, "
                + "<a href=\"tg://user?id=3\">Lan Anh</a>\n<a href=\"tg://user?id=4\">Hoa</a>");
        assertThat(FakeBotApi.visible(parts.getFirst())).isEqualTo("Chưa trả lời: Lan, Minh <2>, Lan Anh\nHoa");
    }

    @Test
    void a_short_text_is_one_part() {
        assertThat(TelegramHtml.messageParts("a\n\nb & c", List.of())).containsExactly("a\n\nb &amp; c");
    }

    @Test
    void a_text_over_4096_visible_characters_splits_at_line_ends_and_escaping_does_not_count() {
        String line = "&".repeat(99); // 99 visible characters, 495 once escaped
        String text = String.join("\n", java.util.Collections.nCopies(60, line)); // 60 × 100 − 1 = 5999 visible
        List<String> parts = TelegramHtml.messageParts(text, List.of());
        assertThat(parts).hasSize(2);
        assertThat(FakeBotApi.visible(parts.get(0))).hasSize(40 * 100 - 1);
        assertThat(FakeBotApi.visible(parts.get(1))).hasSize(20 * 100 - 1);
        assertThat(String.join("\n", parts.stream().map(FakeBotApi::visible).toList())).isEqualTo(text);
    }

    @Test
    void a_single_line_longer_than_the_limit_is_cut_at_a_space() {
        String text = ("từ ".repeat(2000)).strip();
        List<String> parts = TelegramHtml.messageParts(text, List.of());
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(4096));
        assertThat(parts).allSatisfy(p -> assertThat(p).doesNotStartWith(" ").doesNotEndWith(" "));
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }

    @Test
    void a_caption_is_cut_to_1024_visible_characters_with_an_ellipsis() {
        String caption = TelegramHtml.caption("<".repeat(2000));
        assertThat(FakeBotApi.visible(caption)).hasSize(1024).endsWith("<…");
    }

    @Test
    void a_cut_never_splits_a_surrogate_pair() {
        String cut = TelegramHtml.cut("a" + "📎".repeat(10), 4);
        assertThat(cut).isEqualTo("a📎…");
    }
}
