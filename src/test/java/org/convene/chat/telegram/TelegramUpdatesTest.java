package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.chat.telegram.FakeBotApi.sample;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.junit.jupiter.api.Test;

/** Telegram's update samples, as recorded from the Bot API's shapes, turned into Convene's events. */
class TelegramUpdatesTest {
    final TelegramUpdates updates = new TelegramUpdates(FakeBotApi.BOT_USERNAME);

    private Optional<InboundEvent> event(String sample) {
        return updates.parse(sample(sample)).orElseThrow().event();
    }

    @Test
    void a_callback_query_is_a_button_press_in_the_chat_of_its_message() {
        assertThat(event("callback_query.json")).contains(new InboundEvent.ButtonPressed("telegram", "-1001234567890", "70",
                new ChatUser("5550001", "Lan Trần", "lan_tran"), "r:42:a:Zm9vYmFy", "4382bfdwdsb323b2d9"));
    }

    @Test
    void a_press_on_an_inaccessible_message_with_date_0_still_names_chat_and_message() {
        InboundEvent.ButtonPressed press = (InboundEvent.ButtonPressed) event("callback_query_inaccessible.json").orElseThrow();
        assertThat(press.chatId()).isEqualTo("-1001234567890");
        assertThat(press.messageId()).isEqualTo("70");
        assertThat(press.buttonId()).isEqualTo("r:42:y:YmFyYmF6");
        assertThat(press.user()).isEqualTo(new ChatUser("5550002", "Minh", null));
    }

    @Test
    void a_press_on_an_inline_mode_message_without_a_chat_gives_no_event() {
        assertThat(event("callback_query_inline.json")).isEmpty();
    }

    @Test
    void a_command_addressed_to_this_bot_by_name_is_a_text_in_a_group() {
        InboundEvent.TextReceived text = (InboundEvent.TextReceived) event("message_command.json").orElseThrow();
        assertThat(text.text()).isEqualTo("/link@convene_test_bot K7QX2M9P");
        assertThat(text.chatId()).isEqualTo("-1001234567890");
        assertThat(text.messageId()).isEqualTo("77");
        assertThat(text.privateChat()).isFalse();
        assertThat(text.replyToMessageId()).isNull();
    }

    @Test
    void a_command_addressed_to_another_bot_is_not_ours() {
        assertThat(event("message_other_bot_command.json")).isEmpty();
        assertThat(new TelegramUpdates(null).parse(sample("message_other_bot_command.json")).orElseThrow().event())
                .as("without our own name every command is taken").isPresent();
    }

    @Test
    void a_reply_names_the_message_it_answers() {
        InboundEvent.TextReceived text = (InboundEvent.TextReceived) event("message_reply.json").orElseThrow();
        assertThat(text.replyToMessageId()).isEqualTo("70");
        assertThat(text.text()).isEqualTo("Vắng vì đi công tác");
    }

    @Test
    void a_message_in_a_private_chat_says_so() {
        assertThat(((InboundEvent.TextReceived) event("message_private.json").orElseThrow()).privateChat()).isTrue();
    }

    @Test
    void the_bot_added_to_a_group_is_a_join_with_the_title_and_who_added_it() {
        assertThat(event("my_chat_member_added.json")).contains(new InboundEvent.BotJoined("telegram", "-1001234567890", "Chi bộ 3",
                new ChatUser("5550009", "Secretary", null)));
    }

    @Test
    void a_promotion_to_administrator_is_not_a_join() {
        assertThat(event("my_chat_member_promoted.json")).isEmpty();
    }

    @Test
    void the_bot_leaving_is_left_and_thrown_out_is_kicked() {
        assertThat(event("my_chat_member_left.json")).contains(new InboundEvent.BotLeft("telegram", "-1001234567890", false));
        assertThat(event("my_chat_member_kicked.json")).contains(new InboundEvent.BotLeft("telegram", "-1001234567890", true));
    }

    @Test
    void a_group_upgraded_to_a_supergroup_moves_from_either_side() {
        InboundEvent.ChatMigrated expected = new InboundEvent.ChatMigrated("telegram", "-4012345678", "-1001557912345");
        assertThat(event("message_migrate_to.json")).contains(expected);
        assertThat(event("message_migrate_from.json")).contains(expected);
    }

    @Test
    void unknown_update_kinds_and_messages_without_text_give_no_event_and_no_error() {
        assertThat(event("edited_message.json")).isEmpty();
        assertThat(event("message_reaction.json")).isEmpty();
        assertThat(event("message_photo.json")).isEmpty();
        assertThat(updates.parse(sample("message_reaction.json")).orElseThrow().updateId()).isEqualTo(912345016L);
    }

    @Test
    void json_without_a_numeric_update_id_is_not_an_update() {
        JsonNode notAnUpdate = FakeBotApi.JSON.createObjectNode().put("update_id", "12").set("message", sample("message_command.json").get("message"));
        assertThat(updates.parse(notAnUpdate)).isEmpty();
        assertThat(updates.parse(FakeBotApi.JSON.createArrayNode())).isEmpty();
    }
}
