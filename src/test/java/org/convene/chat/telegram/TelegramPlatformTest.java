package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import okhttp3.OkHttpClient;
import org.convene.chat.Button;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.support.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform and its client over real HTTP against the fake Bot API. */
class TelegramPlatformTest {
    static final String GROUP = "-1001234567890";
    static final List<List<Button>> THREE = List.of(List.of(new Button("r:1:a:tag", "✅ Đã nhận"), new Button("r:1:y:tag", "🙋 Sẽ tham dự"),
            new Button("r:1:n:tag", "🚫 Xin vắng")));

    final FakeBotApi fake = new FakeBotApi();
    final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
    final TelegramClient client = new TelegramClient(http, fake.url(), FakeBotApi.TOKEN);
    final TelegramPlatform platform = new TelegramPlatform(client, String.valueOf(FakeBotApi.BOT_ID));
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        fake.close();
    }

    private OutgoingMessage.Document pdf(String fileId, String caption) throws IOException {
        Path file = dir.resolve("content.bin");
        Files.write(file, Samples.pdf());
        return new OutgoingMessage.Document("Nghị quyết <số 5>.pdf", "application/pdf", Samples.pdf().length, "ab12", file, caption, fileId);
    }

    @Test
    void the_platform_is_telegram_on_the_bots_account_with_telegrams_limits() {
        assertThat(platform.name()).isEqualTo("telegram");
        assertThat(platform.account()).isEqualTo("7000000001");
        var c = platform.capabilities();
        assertThat(List.of(c.buttons(), c.documents(), c.edits())).containsOnly(true);
        assertThat(c.maxTextLength()).isEqualTo(4096);
        assertThat(c.messagesPerSecond()).isEqualTo(30);
        assertThat(c.messagesPerMinutePerChat()).isEqualTo(20);
    }

    @Test
    void a_text_goes_as_escaped_html_with_an_inline_keyboard_of_its_buttons() {
        SendOutcome outcome = platform.send(GROUP, new OutgoingMessage.Text("Họp <quý IV> & tổng kết", THREE, List.of()));

        assertThat(outcome).isEqualTo(new SendOutcome.Sent("1"));
        FakeBotApi.Call call = fake.calls("sendMessage").getFirst();
        assertThat(call.text("parse_mode")).isEqualTo("HTML");
        assertThat(call.text("text")).isEqualTo("Họp &lt;quý IV&gt; &amp; tổng kết");
        assertThat(call.json("reply_markup").at("/inline_keyboard/0")).extracting(b -> b.get("callback_data").asText())
                .containsExactly("r:1:a:tag", "r:1:y:tag", "r:1:n:tag");
        assertThat(fake.messages(GROUP).getFirst().text).isEqualTo("Họp <quý IV> & tổng kết");
    }

    @Test
    void a_long_text_is_split_and_only_its_last_part_carries_the_buttons() {
        String text = String.join("\n", Collections.nCopies(60, "x".repeat(99)));

        SendOutcome outcome = platform.send(GROUP, new OutgoingMessage.Text(text, THREE, List.of()));

        List<FakeBotApi.Posted> posted = fake.messages(GROUP);
        assertThat(posted).hasSize(2);
        assertThat(posted.get(0).replyMarkup.path("inline_keyboard").size()).isZero();
        assertThat(posted.get(1).buttonData()).hasSize(3);
        assertThat(outcome).as("the id of the part with the buttons").isEqualTo(new SendOutcome.Sent("2"));
    }

    @Test
    void members_are_mentioned_by_username_or_by_a_text_mention() {
        platform.send(GROUP, new OutgoingMessage.Text("Còn thiếu:", List.of(), List.of(new ChatUser("5550001", "Lan", "lan_tran"),
                new ChatUser("5550002", "Minh", null))));
        assertThat(fake.calls("sendMessage").getFirst().text("text")).isEqualTo("Còn thiếu:\n@lan_tran <a href=\"tg://user?id=5550002\">Minh</a>");
    }

    @Test
    void a_document_is_uploaded_once_and_then_sent_by_its_file_id() throws IOException {
        SendOutcome first = platform.send(GROUP, pdf(null, "Tài liệu & phụ lục"));

        assertThat(first).isInstanceOf(SendOutcome.Sent.class);
        String fileId = ((SendOutcome.Sent) first).platformFileId();
        assertThat(fileId).isNotBlank();
        FakeBotApi.Call upload = fake.calls("sendDocument").getFirst();
        assertThat(upload.files().get("document").bytes()).isEqualTo(Samples.pdf());
        assertThat(upload.files().get("document").filename()).isEqualTo("Nghị quyết <số 5>.pdf");
        assertThat(upload.files().get("document").mediaType()).isEqualTo("application/pdf");
        assertThat(upload.text("caption")).isEqualTo("Tài liệu &amp; phụ lục");

        SendOutcome second = platform.send("-1009999999999", pdf(fileId, null));

        assertThat(((SendOutcome.Sent) second).platformFileId()).isEqualTo(fileId);
        FakeBotApi.Call byId = fake.calls("sendDocument").get(1);
        assertThat(byId.files()).isEmpty();
        assertThat(byId.text("document")).isEqualTo(fileId);
        assertThat(fake.uploads()).hasSize(1);
    }

    @Test
    void a_file_id_telegram_no_longer_knows_is_replaced_by_a_new_upload() throws IOException {
        SendOutcome outcome = platform.send(GROUP, pdf("BQACAgIAAxkBAAI-forgotten", null));

        assertThat(((SendOutcome.Sent) outcome).platformFileId()).isNotEqualTo("BQACAgIAAxkBAAI-forgotten");
        assertThat(fake.calls("sendDocument")).hasSize(2);
        assertThat(fake.uploads()).hasSize(1);
    }

    @Test
    void a_caption_is_cut_to_1024_characters() throws IOException {
        platform.send(GROUP, pdf(null, "x".repeat(3000)));
        assertThat(fake.messages(GROUP).getFirst().text).hasSize(1024);
    }

    @Test
    void too_many_requests_is_retry_after_the_seconds_telegram_names() {
        fake.tooManyRequests("sendMessage", 1, 2);
        assertThat(platform.send(GROUP, new OutgoingMessage.Text("x")))
                .isEqualTo(new SendOutcome.RetryAfter(Duration.ofSeconds(2), "Too Many Requests: retry after 2"));
    }

    @Test
    void a_group_upgraded_to_a_supergroup_is_moved_to_the_new_id() {
        fake.migrate("-4012345678", "-1001557912345");
        assertThat(platform.send("-4012345678", new OutgoingMessage.Text("x"))).isEqualTo(new SendOutcome.Moved("-1001557912345"));
    }

    @Test
    void a_kicked_bot_is_rejected_with_telegrams_words_and_the_chat_gone() {
        fake.kick(GROUP);
        assertThat(platform.send(GROUP, new OutgoingMessage.Text("x")))
                .isEqualTo(new SendOutcome.Rejected("Forbidden: bot was kicked from the supergroup chat", true));
    }

    @Test
    void a_bot_without_the_right_to_post_is_rejected_but_the_chat_is_not_gone() {
        fake.refuse("sendMessage", 403, "Forbidden: not enough rights to send text messages to the chat");
        assertThat(platform.send(GROUP, new OutgoingMessage.Text("x")))
                .isEqualTo(new SendOutcome.Rejected("Forbidden: not enough rights to send text messages to the chat", false));
    }

    @Test
    void another_bad_request_is_rejected_for_good() {
        fake.refuse("sendMessage", 400, "Bad Request: chat not found");
        assertThat(platform.send(GROUP, new OutgoingMessage.Text("x"))).isEqualTo(new SendOutcome.Rejected("Bad Request: chat not found", false));
    }

    @Test
    void a_server_error_or_no_answer_is_transient() {
        fake.serverError("sendMessage");
        assertThat(platform.send(GROUP, new OutgoingMessage.Text("x"))).isEqualTo(new SendOutcome.Transient("Bad Gateway"));

        TelegramClient nowhere = new TelegramClient(http, "http://127.0.0.1:1", FakeBotApi.TOKEN);
        SendOutcome outcome = new TelegramPlatform(nowhere, "7000000001").send(GROUP, new OutgoingMessage.Text("x"));
        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        assertThat(((SendOutcome.Transient) outcome).reason()).doesNotContain(FakeBotApi.TOKEN);
    }

    @Test
    void a_call_that_times_out_is_transient() {
        OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofMillis(200)).build();
        fake.stall("sendMessage", Duration.ofSeconds(2));
        SendOutcome outcome = new TelegramPlatform(new TelegramClient(impatient, fake.url(), FakeBotApi.TOKEN), "7000000001")
                .send(GROUP, new OutgoingMessage.Text("x"));
        assertThat(outcome).isInstanceOf(SendOutcome.Transient.class);
        // OkHttp's watchdog says "timeout", the socket's own timer "SocketTimeoutException: Read timed out": whichever fires first
        assertThat(((SendOutcome.Transient) outcome).reason()).containsIgnoringCase("timeout");
    }

    @Test
    void a_token_telegram_refuses_is_transient_so_deliveries_wait_for_the_operator() {
        TelegramClient wrong = new TelegramClient(http, fake.url(), "7000000001:wrong-token");
        SendOutcome outcome = new TelegramPlatform(wrong, "7000000001").send(GROUP, new OutgoingMessage.Text("x"));
        assertThat(outcome).isEqualTo(new SendOutcome.Transient("the Bot API refused the bot token: Unauthorized"));
    }

    @Test
    void the_token_is_redacted_from_every_reason() {
        fake.refuse("sendMessage", 400, "Bad Request: wrong URL https://api.telegram.org/bot" + FakeBotApi.TOKEN + "/sendMessage");
        SendOutcome.Rejected rejected = (SendOutcome.Rejected) platform.send(GROUP, new OutgoingMessage.Text("x"));
        assertThat(rejected.reason()).doesNotContain(FakeBotApi.TOKEN).contains("/bot<redacted>/sendMessage");
        assertThat(client.redact("GET /bot123:abc/getMe and 123:abc again")).isEqualTo("GET /bot<redacted>/getMe and 123:abc again");
        assertThat(client.redact("token " + FakeBotApi.TOKEN)).isEqualTo("token <redacted>");
    }

    @Test
    void an_edit_replaces_text_and_buttons_and_the_same_content_again_counts_as_done() {
        platform.send(GROUP, new OutgoingMessage.Text("✅ 0/5", THREE, List.of()));

        assertThat(platform.edit(GROUP, "1", new OutgoingMessage.Text("✅ 1/5 & more", THREE, List.of()))).isEqualTo(new SendOutcome.Sent("1"));
        assertThat(fake.messages(GROUP).getFirst().text).isEqualTo("✅ 1/5 & more");
        assertThat(platform.edit(GROUP, "1", new OutgoingMessage.Text("✅ 1/5 & more", THREE, List.of()))).isEqualTo(new SendOutcome.Sent("1"));
        assertThat(fake.messages(GROUP).getFirst().edits).isEqualTo(1);
    }

    @Test
    void an_edit_without_text_changes_only_the_buttons() {
        platform.send(GROUP, new OutgoingMessage.Text("Họp", THREE, List.of()));

        assertThat(platform.edit(GROUP, "1", new OutgoingMessage.Text("", List.of(), List.of()))).isEqualTo(new SendOutcome.Sent("1"));

        assertThat(fake.calls("editMessageReplyMarkup")).hasSize(1);
        assertThat(fake.messages(GROUP).getFirst().text).isEqualTo("Họp");
        assertThat(fake.messages(GROUP).getFirst().buttonData()).isEmpty();
    }

    @Test
    void an_edit_of_a_message_telegram_does_not_have_is_rejected() {
        assertThat(platform.edit(GROUP, "99", new OutgoingMessage.Text("x")))
                .isEqualTo(new SendOutcome.Rejected("Bad Request: message to edit not found", false));
    }

    @Test
    void a_press_is_answered_with_its_notice_cut_to_200_characters() {
        FakeBotApi.Posted posted = postedAgenda();
        JsonNode update = fake.pressUpdate(posted, new FakeBotApi.User(5550001, "Lan", null), "r:1:a:tag");
        String queryId = update.at("/callback_query/id").asText();

        platform.answer(new InboundEvent.ButtonPressed("telegram", GROUP, "1", new ChatUser("5550001", "Lan", null), "r:1:a:tag", queryId),
                "Đ".repeat(300));

        FakeBotApi.Call answer = fake.calls("answerCallbackQuery").getFirst();
        assertThat(answer.text("callback_query_id")).isEqualTo(queryId);
        assertThat(answer.text("text")).hasSize(200);
    }

    @Test
    void the_client_sets_the_webhook_with_its_secret_and_the_three_update_kinds() {
        assertThat(client.setWebhook("https://convene.example.org/webhooks/telegram", "s3cret_-X")).isInstanceOf(BotApiAnswer.Ok.class);
        FakeBotApi.Call call = fake.calls("setWebhook").getFirst();
        assertThat(call.text("url")).isEqualTo("https://convene.example.org/webhooks/telegram");
        assertThat(call.text("secret_token")).isEqualTo("s3cret_-X");
        assertThat(call.json("allowed_updates")).extracting(JsonNode::asText).containsExactly("message", "callback_query", "my_chat_member");
        assertThat(fake.webhookSecret()).isEqualTo("s3cret_-X");

        assertThat(client.deleteWebhook()).isInstanceOf(BotApiAnswer.Ok.class);
        assertThat(fake.webhookUrl()).isNull();
    }

    @Test
    void the_client_asks_who_the_bot_is_and_polls_for_updates_from_an_offset() {
        BotApiAnswer.Ok me = (BotApiAnswer.Ok) client.getMe();
        assertThat(me.result().path("username").asText()).isEqualTo(FakeBotApi.BOT_USERNAME);

        fake.enqueue(FakeBotApi.sample("message_command.json").put("update_id", 10));
        fake.enqueue(FakeBotApi.sample("message_command.json").put("update_id", 11));
        BotApiAnswer.Ok batch = (BotApiAnswer.Ok) client.getUpdates(11, 0);

        assertThat(batch.result()).extracting(u -> u.get("update_id").asLong()).containsExactly(11L);
        FakeBotApi.Call call = fake.calls("getUpdates").getFirst();
        assertThat(call.json("allowed_updates")).hasSize(3);
        assertThat(call.params().get("offset").asLong()).isEqualTo(11);
    }

    private FakeBotApi.Posted postedAgenda() {
        platform.send(GROUP, new OutgoingMessage.Text("Họp", THREE, List.of()));
        return fake.messages(GROUP).getFirst();
    }
}
