package org.convene.chat.zalo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.convene.chat.InboundEvent;
import org.convene.chat.SendOutcome;
import org.junit.jupiter.api.Test;

/** Zalo's webhook events as Convene's events, and Zalo's answers as send outcomes. */
class ZaloEventsTest {
    static JsonNode json(String text) {
        try {
            return ZaloClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void a_group_text_names_its_group_in_recipient_id() {
        InboundEvent.TextReceived text = ZaloEvents.parse(json("""
                {"app_id":"1","event_name":"user_send_group_text","timestamp":"1764550800000","sender":{"id":"u1"},
                 "recipient":{"id":"g1"},"message":{"msg_id":"m1","text":"có"}}""")).orElseThrow().event();

        assertThat(text.platform()).isEqualTo("zalo");
        assertThat(text.chatId()).isEqualTo("g1");
        assertThat(text.user().id()).isEqualTo("u1");
        assertThat(text.messageId()).isEqualTo("m1");
        assertThat(text.text()).isEqualTo("có");
        assertThat(text.privateChat()).isFalse();
    }

    @Test
    void recipient_id_names_the_group_first_and_group_id_or_conversation_id_stand_in_when_it_is_missing() {
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"user_send_group_text","sender":{"id":"u1"},"recipient":{"id":"g1","group_id":"g2"},
                 "message":{"msg_id":"m2","text":"có","conversation_id":"g3"}}""")).orElseThrow().event().chatId()).isEqualTo("g1");
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"user_send_group_text","sender":{"id":"u1"},"recipient":{"group_id":"g2"},
                 "message":{"msg_id":"m3","text":"có","conversation_id":"g3"}}""")).orElseThrow().event().chatId()).isEqualTo("g2");
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"user_send_group_text","sender":{"id":"u1"},
                 "message":{"msg_id":"m4","text":"có","conversation_id":"g3"}}""")).orElseThrow().event().chatId()).isEqualTo("g3");
    }

    @Test
    void a_one_to_one_text_is_a_private_chat_with_the_sender_and_a_quote_is_the_message_replied_to() {
        InboundEvent.TextReceived text = ZaloEvents.parse(json("""
                {"event_name":"user_send_text","sender":{"id":"u9"},"recipient":{"id":"oa"},
                 "message":{"msg_id":"m4","text":"/login","quote_msg_id":"gmsg-7"}}""")).orElseThrow().event();

        assertThat(text.chatId()).isEqualTo("u9");
        assertThat(text.privateChat()).isTrue();
        assertThat(text.replyToMessageId()).isEqualTo("gmsg-7");
    }

    @Test
    void other_events_and_texts_without_an_id_give_nothing() {
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"user_send_group_sticker","sender":{"id":"u1"},"recipient":{"id":"g1"},"message":{"msg_id":"m5"}}""")))
                .isEmpty();
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"oa_send_group_text","sender":{"id":"oa"},"recipient":{"id":"g1"},"message":{"msg_id":"m6","text":"x"}}""")))
                .isEmpty();
        assertThat(ZaloEvents.parse(json("""
                {"event_name":"user_send_group_text","sender":{"id":"u1"},"recipient":{"id":"g1"},"message":{"text":"có"}}"""))).isEmpty();
    }

    @Test
    void zalo_answers_become_outcomes_and_unknown_codes_are_not_retried() {
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Refused(-32, "Exceeded", 200), d -> null))
                .isEqualTo(new SendOutcome.RetryAfter(Duration.ofMinutes(1), "Zalo error -32: Exceeded"));
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Refused(-211, "Out of quota", 200), d -> null))
                .isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Refused(0, "HTTP 429", 429), d -> null)).isInstanceOf(SendOutcome.RetryAfter.class);
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Refused(0, "HTTP 502 Bad Gateway", 502), d -> null))
                .isEqualTo(new SendOutcome.Transient("HTTP 502 Bad Gateway"));
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Unreachable("timeout"), d -> null)).isEqualTo(new SendOutcome.Transient("timeout"));
        assertThat(ZaloPlatform.outcome(new ZaloAnswer.Refused(-9999, "Something new", 200), d -> null))
                .isEqualTo(new SendOutcome.Rejected("Zalo error -9999: Something new", false));
    }

    @Test
    void a_text_longer_than_2000_characters_is_cut_at_line_ends() {
        String line = "x".repeat(99) + "\n";
        var parts = ZaloPlatform.parts(line.repeat(30));

        assertThat(parts).hasSize(2);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(ZaloPlatform.TEXT_LIMIT));
        assertThat(String.join("\n", parts)).isEqualTo(line.repeat(30).strip());
    }
}
