package org.convene.response;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyParserTest {
    @ParameterizedTest
    @ValueSource(strings = {"có", "Có", "CÓ", "có mặt", "Có mặt ạ", "co mat", "tham gia", "Tham gia!", "yes", "Yes", "/yes", "I'll come"})
    void these_say_coming(String text) {
        assertThat(ReplyParser.parse(text)).contains(new Answer.Coming());
    }

    @ParameterizedTest
    @ValueSource(strings = {"đã nhận", "Đã nhận ạ", "nhận được", "Nhận được", "da nhan", "received", "Received."})
    void these_say_received(String text) {
        assertThat(ReplyParser.parse(text)).contains(new Answer.Received());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "vắng|||",
            "Vắng vì ốm|sick|ốm",
            "xin vắng: đi rừng|work|đi rừng",
            "Xin vắng, con ốm nằm viện|sick|con ốm nằm viện",
            "vắng vì đám cưới em gái|family|đám cưới em gái",
            "no, travelling|travel|travelling",
            "No|||",
            "/no đi công tác Hà Nội|work|đi công tác Hà Nội",
            "/no|||",
            "can't come because of a night shift|work|of a night shift",
            "không tham gia được vì bận việc riêng|other|được vì bận việc riêng"
    })
    void these_say_cannot_come_with_the_reason(String text, String code, String reason) {
        assertThat(ReplyParser.parse(text)).contains(new Answer.Absent(code, reason));
    }

    @ParameterizedTest
    @ValueSource(strings = {"có ai mang loa không?", "ok", "Chào các đồng chí", "mai họp mấy giờ?", "vâng", "👍", "", "  ",
            "không biết", "nothing to say", "yes I think the agenda is long"})
    void small_talk_is_not_a_reply(String text) {
        assertThat(ReplyParser.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"bị sốt|sick", "về quê ăn giỗ|family", "đi xa|travel", "trực ca đêm|work", "bận|other"})
    void a_free_reason_gets_a_code(String text, String code) {
        assertThat(ReplyParser.reason(text)).isEqualTo(new Answer.Absent(code, text));
    }
}
