package org.convene.chat.zalobot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convene.chat.InboundEvent;
import org.junit.jupiter.api.Test;

/** The Bot Platform's event bodies, wrapped or bare, as Convene's events. */
class ZaloBotEventsTest {
    private static JsonNode json(String text) {
        try {
            return ZaloBotClient.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InboundEvent.TextReceived text(String body) {
        return ((ZaloBotEvents.Parsed.Text) ZaloBotEvents.parse(json(body))).event();
    }

    @Test
    void a_wrapped_group_text_names_its_chat_sender_and_message() {
        InboundEvent.TextReceived event = text("""
                {"ok":true,"result":{"event_name":"message.text.received","message":{"from":{"id":"u1","display_name":"Lan","is_bot":false},
                 "chat":{"id":"g1","chat_type":"GROUP"},"text":"có","message_id":"m1","date":1750316131602}}}""");

        assertThat(event.platform()).isEqualTo("zalobot");
        assertThat(event.chatId()).isEqualTo("g1");
        assertThat(event.user().id()).isEqualTo("u1");
        assertThat(event.user().displayName()).isEqualTo("Lan");
        assertThat(event.messageId()).isEqualTo("m1");
        assertThat(event.text()).isEqualTo("có");
        assertThat(event.privateChat()).isFalse();
    }

    @Test
    void a_bare_private_text_with_first_name_is_read_too() {
        InboundEvent.TextReceived event = text("""
                {"event_name":"message.text.received","message":{"from":{"id":"u1","first_name":"Nguyen Van A"},
                 "chat":{"id":"u1","chat_type":"PRIVATE"},"text":"/login","message_id":"m2","date":1766619597466}}""");

        assertThat(event.privateChat()).isTrue();
        assertThat(event.user().displayName()).isEqualTo("Nguyen Van A");
    }

    @Test
    void other_events_a_bots_own_words_and_texts_without_an_id_are_passed_over() {
        assertThat(ZaloBotEvents.parse(json("""
                {"ok":true,"result":{"event_name":"message.unsupported.received","message":{"message_id":"m3"}}}""")))
                .isInstanceOf(ZaloBotEvents.Parsed.Ignored.class);
        assertThat(ZaloBotEvents.parse(json("""
                {"event_name":"message.text.received","message":{"from":{"id":"b1","is_bot":true},"chat":{"id":"g1","chat_type":"GROUP"},
                 "text":"x","message_id":"m4"}}"""))).isInstanceOf(ZaloBotEvents.Parsed.Ignored.class);
        assertThat(ZaloBotEvents.parse(json("""
                {"event_name":"message.text.received","message":{"from":{"id":"u1"},"chat":{"id":"g1"},"text":"có"}}""")))
                .isInstanceOf(ZaloBotEvents.Parsed.Ignored.class);
    }

    @Test
    void an_array_or_an_object_without_an_event_name_is_not_an_event() {
        assertThat(ZaloBotEvents.parse(json("[{\"event_name\":\"message.text.received\"}]"))).isInstanceOf(ZaloBotEvents.Parsed.NotAnEvent.class);
        assertThat(ZaloBotEvents.parse(json("{\"ok\":true,\"result\":{}}"))).isInstanceOf(ZaloBotEvents.Parsed.NotAnEvent.class);
    }
}
