package org.convene.chat.zalobot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.chat.TextParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zalo's Bot Platform behind the chat port: plain texts of at most 2,000 characters into a group or a
 * private chat, and every Bot API answer turned into a {@link SendOutcome}. The Bot API has no buttons, no
 * edits and no way to send a document, and the capabilities say so: members answer by typing, the agenda
 * gets no live tally, and it carries the link to the meeting's materials page instead of the files. A
 * picture (PNG, JPEG) goes as sendPhoto, which Zalo fetches from the picture's address on that page.
 *
 * <p>A token Zalo refuses stops sending: every send waits {@link #TOKEN_PAUSE} without calling Zalo (the
 * deliveries stay queued), the log says so once, and the home page shows it until a send goes through.
 */
public final class ZaloBotPlatform implements ChatPlatform {
    public static final String NAME = "zalobot";
    private static final Logger log = LoggerFactory.getLogger(ZaloBotPlatform.class);
    /** sendMessage's {@code text}: 1–2,000 characters. */
    static final int TEXT_LIMIT = 2000;
    /** Zalo publishes no per-group limit; Telegram's 20 a minute is the cautious borrowing, as for the OA. */
    static final int MESSAGES_PER_MINUTE_PER_GROUP = 20;
    /** How long sending stays stopped after Zalo refused the token, before one send tries again. */
    static final Duration TOKEN_PAUSE = Duration.ofMinutes(5);
    /** When Zalo says "too many requests" without saying how long to wait (it never documented how). */
    static final Duration RATE_WAIT = Duration.ofSeconds(30);

    private final ZaloBotClient client;
    private final String botId;
    private final Clock clock;
    private final Capabilities capabilities;
    private final boolean canJoinGroups;
    private final Function<String, Optional<String>> photoUrls;
    private volatile Instant tokenRefusedAt;
    private volatile String tokenRefusal;

    /**
     * @param canJoinGroups what getMe said; false while Zalo has not opened groups to this bot
     * @param photoUrls     a picture's public address by its bytes' SHA-256, where Zalo can fetch it now
     */
    ZaloBotPlatform(ZaloBotClient client, String botId, double messagesPerSecond, boolean canJoinGroups, Clock clock,
                    Function<String, Optional<String>> photoUrls) {
        this.client = client;
        this.photoUrls = photoUrls;
        this.botId = botId;
        this.clock = clock;
        this.canJoinGroups = canJoinGroups;
        // every group message is taken to reach the bot: its events carry no reply-to id, so answers cannot be replies
        this.capabilities = new Capabilities(false, false, false, TEXT_LIMIT, messagesPerSecond, MESSAGES_PER_MINUTE_PER_GROUP,
                true, true);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The bot's id (from getMe, else the token's prefix): message ids and rates belong to one bot. */
    @Override
    public String account() {
        return botId;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** A call from Viet Nam takes a few hundred ms: a few sends in flight keep the configured pace going. */
    @Override
    public int concurrentSends() {
        return (int) Math.max(1, Math.min(16, Math.ceil(capabilities.messagesPerSecond() / 3)));
    }

    @Override
    public List<Notice> notices() {
        List<Notice> notices = new ArrayList<>();
        if (!canJoinGroups) notices.add(new Notice("zalobot_no_groups", List.of(botId)));
        if (tokenRefusedAt != null) notices.add(new Notice("zalobot_token_refused", List.of(tokenRefusal)));
        return notices;
    }

    @Override
    public java.util.Map<String, Object> health() {
        return java.util.Map.of("canJoinGroups", canJoinGroups, "sending", tokenRefusedAt == null ? "ok" : "stopped: token refused");
    }

    @Override
    public SendOutcome send(String chatId, OutgoingMessage message) {
        return switch (message) {
            case OutgoingMessage.Text text -> sendText(chatId, text.text());
            case OutgoingMessage.Document document -> sendPicture(chatId, document);
        };
    }

    /**
     * The outbox gives this platform only pictures (other documents are on the materials page); one that is
     * not a picture, or whose page has closed, is refused with the reason.
     */
    private SendOutcome sendPicture(String chatId, OutgoingMessage.Document doc) {
        String type = doc.mediaType() == null ? "" : doc.mediaType().toLowerCase(Locale.ROOT);
        if (!type.equals("image/png") && !type.equals("image/jpeg")) {
            return new SendOutcome.Rejected("the Zalo Bot API cannot send documents; members download " + doc.filename()
                    + " from the meeting's materials page", false);
        }
        Optional<String> url = photoUrls.apply(doc.sha256());
        if (url.isEmpty()) return new SendOutcome.Rejected("no open materials page has " + doc.filename() + " for Zalo to fetch", false);
        String caption = doc.caption() == null || doc.caption().isBlank() ? null : TextParts.cut(doc.caption(), TEXT_LIMIT).getFirst();
        return outcome(client.sendPhoto(chatId, url.get(), caption));
    }

    /**
     * Buttons are dropped (the texts Convene makes for this platform ask for typed answers) and so are
     * mentions (the Bot API has none; the names are in the text). A text over 2,000 characters goes as
     * several messages, cut at line ends; should a later part fail, the whole text is tried again.
     */
    private SendOutcome sendText(String chatId, String text) {
        Instant refused = tokenRefusedAt;
        if (refused != null && refused.plus(TOKEN_PAUSE).isAfter(clock.instant())) {
            return new SendOutcome.RetryAfter(Duration.between(clock.instant(), refused.plus(TOKEN_PAUSE)), tokenRefusal);
        }
        SendOutcome outcome = null;
        for (String part : TextParts.cut(text, TEXT_LIMIT)) {
            if (part.isEmpty()) continue; // Zalo takes 1–2,000 characters: an empty part is never sent
            outcome = outcome(client.sendMessage(chatId, part));
            if (!(outcome instanceof SendOutcome.Sent)) return outcome;
        }
        return outcome != null ? outcome : new SendOutcome.Rejected("an empty text is not sent", false);
    }

    /** The Bot API cannot edit a sent message. */
    @Override
    public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
        return new SendOutcome.Rejected("the Zalo Bot API cannot edit messages", false);
    }

    /** There are no buttons on the Bot Platform, so no presses to answer. */
    @Override
    public void answer(InboundEvent.ButtonPressed press, String notice) {
        log.debug("zalo bot has no buttons; nothing to answer chat={}", press.chatId());
    }

    /** The one place Bot API answers become outcomes. */
    SendOutcome outcome(ZaloBotAnswer answer) {
        SendOutcome outcome = switch (answer) {
            case ZaloBotAnswer.Ok ok -> new SendOutcome.Sent(ok.result().path("message_id").asText(null));
            case ZaloBotAnswer.Unreachable u -> new SendOutcome.Transient(u.reason());
            case ZaloBotAnswer.Refused r -> refused(r);
        };
        if (outcome instanceof SendOutcome.Sent && tokenRefusedAt != null) {
            log.info("zalo bot token accepted again bot={}", botId);
            tokenRefusedAt = null;
        }
        return outcome;
    }

    private SendOutcome refused(ZaloBotAnswer.Refused r) {
        if (r.errorCode() == 429) return new SendOutcome.RetryAfter(RATE_WAIT, r.description());
        if (!r.botApi() || r.errorCode() >= 500 || r.errorCode() == 408) return new SendOutcome.Transient(r.description());
        if (r.errorCode() == 401) {
            if (tokenRefusedAt == null) log.error("zalo bot: Zalo refused the bot token; sending stops until it is accepted again: {}", r.description());
            tokenRefusal = "Zalo refused the bot token (" + r.description() + "); check CONVENE_ZALOBOT_TOKEN";
            tokenRefusedAt = clock.instant();
            return new SendOutcome.RetryAfter(TOKEN_PAUSE, tokenRefusal);
        }
        if (r.errorCode() == 403 || (r.errorCode() == 404 && chatMissing(r.description()))) {
            return new SendOutcome.Rejected(r.description(), true);
        }
        return new SendOutcome.Rejected("Zalo Bot error " + r.errorCode() + ": " + r.description(), false);
    }

    /** A 404 that names the chat (the group was deleted, or the bot removed): not a wrong method or host. */
    private static boolean chatMissing(String description) {
        String d = description.toLowerCase(Locale.ROOT);
        return d.contains("chat") || d.contains("group") || d.contains("user");
    }
}
