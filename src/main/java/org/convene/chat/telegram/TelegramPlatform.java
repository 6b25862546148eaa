package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telegram behind the chat port: texts as HTML with an inline keyboard, documents uploaded once and then
 * re-sent by {@code file_id}, and every Bot API refusal turned into a {@link SendOutcome}.
 */
public final class TelegramPlatform implements ChatPlatform {
    public static final String NAME = "telegram";
    private static final Logger log = LoggerFactory.getLogger(TelegramPlatform.class);
    /** bots/faq: about 30 messages a second in all; paid broadcast allows up to 1000 (configured). */
    public static final double DEFAULT_MESSAGES_PER_SECOND = 30;
    /** bots/faq: at most 20 messages a minute into one group, whatever the bot's overall rate. */
    private static final int MESSAGES_PER_MINUTE_PER_GROUP = 20;
    /** When a 429 comes without parameters.retry_after (never seen, but not promised either). */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** sendDocument takes uploads of at most 50 MB (a local Bot API server takes more; Convene speaks to the public one). */
    static final long UPLOAD_LIMIT = 50L * 1024 * 1024;

    private final TelegramClient client;
    private final String botId;
    private final Capabilities capabilities;

    TelegramPlatform(TelegramClient client, String botId, double messagesPerSecond) {
        this(client, botId, messagesPerSecond, true);
    }

    /** @param allGroupMessages false in privacy mode (getMe's {@code can_read_all_group_messages}) */
    TelegramPlatform(TelegramClient client, String botId, double messagesPerSecond, boolean allGroupMessages) {
        this.client = client;
        this.botId = botId;
        // a file uploaded through the Bot API is at most 50 MB, of any type
        this.capabilities = new Capabilities(true, true, true, TelegramHtml.MESSAGE_LIMIT, messagesPerSecond, MESSAGES_PER_MINUTE_PER_GROUP,
                allGroupMessages, false).withDocumentLimits(UPLOAD_LIMIT, java.util.Set.of());
    }

    TelegramPlatform(TelegramClient client, String botId) {
        this(client, botId, DEFAULT_MESSAGES_PER_SECOND);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Degraded, with the reason, while the Bot API cannot be reached (from the last call, whichever it was). */
    @Override
    public java.util.Map<String, Object> health() {
        String reason = client.unreachable();
        return reason == null ? java.util.Map.of() : java.util.Map.of("status", "degraded", "reason", "the Bot API cannot be reached: " + reason);
    }

    /** The bot's numeric id: uploaded file ids and rate limits belong to one bot. */
    @Override
    public String account() {
        return botId;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** In privacy mode, the home page tells the operator how to let members' plain words count. */
    @Override
    public List<Notice> notices() {
        return capabilities.allGroupMessages() ? List.of() : List.of(new Notice("telegram_privacy", List.of()));
    }

    /**
     * A Bot API call from a server in Viet Nam takes about 100–300 ms; to keep the bot's rate going, that
     * rate times a quarter of a second of sends must be on their way at once (8 at 30/s, 250 at 1000/s).
     */
    @Override
    public int concurrentSends() {
        return (int) Math.max(1, Math.min(256, Math.ceil(capabilities.messagesPerSecond() / 4)));
    }

    /** A private chat's id is the user's id; Telegram refuses it (403) until the user has started the bot. */
    @Override
    public java.util.Optional<String> privateChatOf(String userId) {
        return java.util.Optional.of(userId);
    }

    @Override
    public SendOutcome send(String chatId, OutgoingMessage message) {
        return switch (message) {
            case OutgoingMessage.Text text -> sendText(chatId, text);
            case OutgoingMessage.Document document -> sendDocument(chatId, document);
        };
    }

    /**
     * A text over 4096 characters goes as several messages; only the last carries the buttons and its id
     * is the one returned, so a later edit changes the part with the buttons. Should a later part fail,
     * the whole text is tried again: a repeated first part is better than a lost agenda.
     */
    private SendOutcome sendText(String chatId, OutgoingMessage.Text text) {
        List<String> parts = TelegramHtml.messageParts(text.text(), text.mentions());
        SendOutcome outcome = null;
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            outcome = outcome(client.sendMessage(chatId, parts.get(i), last ? text.buttons() : List.of()),
                    result -> new SendOutcome.Sent(result.path("message_id").asText()));
            if (!(outcome instanceof SendOutcome.Sent)) return outcome;
        }
        return outcome;
    }

    private SendOutcome sendDocument(String chatId, OutgoingMessage.Document doc) {
        String caption = TelegramHtml.caption(doc.caption());
        if (doc.platformFileId() != null) {
            BotApiAnswer byId = client.sendDocument(chatId, doc.platformFileId(), caption);
            if (!(byId instanceof BotApiAnswer.Refused r && fileIdRefused(r))) return outcome(byId, TelegramPlatform::sentDocument);
            // a file id of another bot (the token was changed) or one Telegram forgot: upload the file again
            log.info("telegram refused a file id, uploading again chat={} sha256={} reason={}", chatId, doc.sha256(), r.description());
        }
        return outcome(client.sendDocument(chatId, doc.file(), doc.filename(), doc.mediaType(), caption), TelegramPlatform::sentDocument);
    }

    private static boolean fileIdRefused(BotApiAnswer.Refused r) {
        String d = r.description().toLowerCase(Locale.ROOT);
        return r.errorCode() == 400 && r.migrateToChatId() == null && (d.contains("file identifier") || d.contains("file_id")
                || d.contains("file reference"));
    }

    private static SendOutcome sentDocument(JsonNode message) {
        String fileId = message.path("document").path("file_id").asText(null);
        return new SendOutcome.Sent(message.path("message_id").asText(), fileId);
    }

    /**
     * Replaces the text and buttons with editMessageText; a message with an empty text changes only the
     * buttons (editMessageReplyMarkup). Editing to what is already there counts as done.
     */
    @Override
    public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
        if (!messageId.matches("-?\\d+")) return new SendOutcome.Rejected("not a Telegram message id: " + messageId, false);
        BotApiAnswer answer;
        if (message.text() == null || message.text().isBlank()) {
            answer = client.editMessageReplyMarkup(chatId, messageId, message.buttons());
        } else {
            // one message is edited: a text longer than one message keeps only what fits
            String html = TelegramHtml.messageParts(message.text(), message.mentions()).getFirst();
            answer = client.editMessageText(chatId, messageId, html, message.buttons());
        }
        if (answer instanceof BotApiAnswer.Refused r && r.notModified()) return new SendOutcome.Sent(messageId);
        return outcome(answer, result -> new SendOutcome.Sent(messageId));
    }

    /** A separate answerCallbackQuery call; the webhook answers inside its own HTTP answer instead. */
    @Override
    public void answer(InboundEvent.ButtonPressed press, String notice) {
        BotApiAnswer answer = client.answerCallbackQuery(press.callbackId(), notice);
        if (!(answer instanceof BotApiAnswer.Ok)) log.warn("button press not answered chat={} outcome={}", press.chatId(), answer);
    }

    /** 👌 on the member's message: seen and noted, without a message that every member of the group would get. */
    @Override
    public boolean acknowledge(InboundEvent.TextReceived text) {
        if (text.messageId() == null) return false;
        BotApiAnswer answer = client.setMessageReaction(text.chatId(), text.messageId(), "👌");
        if (!(answer instanceof BotApiAnswer.Ok)) log.warn("typed answer not acknowledged chat={} outcome={}", text.chatId(), answer);
        return answer instanceof BotApiAnswer.Ok;
    }

    /** The one place Bot API answers become outcomes. */
    static SendOutcome outcome(BotApiAnswer answer, Function<JsonNode, SendOutcome> sent) {
        return switch (answer) {
            case BotApiAnswer.Ok ok -> sent.apply(ok.result());
            case BotApiAnswer.Unreachable u -> new SendOutcome.Transient(u.reason());
            case BotApiAnswer.Refused r -> refused(r);
        };
    }

    private static SendOutcome refused(BotApiAnswer.Refused r) {
        if (r.errorCode() == 429 || r.retryAfter() != null) {
            Duration after = r.retryAfter() == null ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(Math.max(1, r.retryAfter()));
            return new SendOutcome.RetryAfter(after, r.description());
        }
        if (r.migrateToChatId() != null) return new SendOutcome.Moved(r.migrateToChatId());
        if (r.errorCode() >= 500) return new SendOutcome.Transient(r.description());
        // a wrong token answers 401 (or 404 on some servers): every send fails until the operator fixes it,
        // so the deliveries wait with back-off instead of failing for good
        if (r.errorCode() == 401 || r.errorCode() == 404) {
            return new SendOutcome.Transient("the Bot API refused the bot token: " + r.description());
        }
        if (r.errorCode() == 403) return new SendOutcome.Rejected(r.description(), botIsOut(r.description()));
        return new SendOutcome.Rejected(r.description(), false);
    }

    /**
     * "bot was kicked from the supergroup chat", "bot was blocked by the user", "bot is not a member of
     * the group chat", a deleted group or user: the chat is gone. A 403 for missing rights is not.
     */
    private static boolean botIsOut(String description) {
        String d = description.toLowerCase(Locale.ROOT);
        return d.contains("kicked") || d.contains("blocked") || d.contains("not a member") || d.contains("deactivated")
                || d.contains("was deleted");
    }
}
