package org.convene.chat.zalo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zalo behind the chat port, through an Official Account: texts into the OA's group chats (GMF), documents
 * uploaded once and then sent by their token, every Zalo answer turned into a {@link SendOutcome}. GMF has
 * no buttons and Zalo no message edits, so the capabilities say so: members answer by typing, and the
 * agenda gets no live tally.
 */
public final class ZaloPlatform implements ChatPlatform {
    public static final String NAME = "zalo";
    private static final Logger log = LoggerFactory.getLogger(ZaloPlatform.class);
    /** A text message holds at most 2,000 characters (the OA and Bot APIs' documented bound). */
    static final int TEXT_LIMIT = 2000;
    /** Zalo takes PDF, DOC and DOCX files of at most 5 MB through upload/file. */
    static final long FILE_LIMIT = 5L * 1024 * 1024;
    static final Set<String> FILE_EXTENSIONS = Set.of("pdf", "doc", "docx");
    static final Set<String> FILE_TYPES = Set.of("application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    /** Zalo's "access token is invalid": refresh it and try the call once more. */
    static final int ACCESS_TOKEN_INVALID = -216;
    /** "Access token has expired or been removed": cured the same way, one refresh and one more try. */
    static final int ACCESS_TOKEN_EXPIRED = -220;
    /** Too many requests in a short time (Zalo's error appendix; not seen in a capture). */
    static final int RATE_LIMITED = -32;
    /** The API's quota is used up (Zalo's error appendix; not seen in a capture). */
    static final int QUOTA_USED_UP = -211;
    private static final Duration RATE_WAIT = Duration.ofMinutes(1);
    private static final Duration QUOTA_WAIT = Duration.ofHours(1);
    /** Zalo publishes no per-group limit; Telegram's 20 a minute is the cautious borrowing. */
    private static final int MESSAGES_PER_MINUTE_PER_GROUP = 20;
    private static final int PRIVATE_CHATS_REMEMBERED = 10_000;

    private final ZaloClient client;
    private final ZaloTokens tokens;
    private final String appId;
    private final Capabilities capabilities;
    /** Users who wrote to the OA one-to-one: a chat id among these is a user, any other a group. */
    private final Set<String> privateChats = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > PRIVATE_CHATS_REMEMBERED;
        }
    }));

    ZaloPlatform(ZaloClient client, ZaloTokens tokens, String appId, double messagesPerSecond) {
        this.client = client;
        this.tokens = tokens;
        this.appId = appId;
        this.capabilities = new Capabilities(false, true, false, TEXT_LIMIT, messagesPerSecond, MESSAGES_PER_MINUTE_PER_GROUP)
                .withDocumentLimits(FILE_LIMIT, FILE_TYPES);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The Zalo app's id: uploaded file tokens and the token refresh belong to the app linked to the OA. */
    @Override
    public String account() {
        return appId;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * A refresh token older than the renewal age means renewing ahead is failing: the operator is told how
     * old it is, since at about three months unused Zalo lets it expire.
     */
    @Override
    public List<Notice> notices() {
        return tokens.refreshTokenAge().filter(age -> age.compareTo(ZaloTokens.RENEW_REFRESH_TOKEN_AFTER.plusDays(1)) > 0)
                .map(age -> List.of(new Notice("zalo_refresh_token_age", List.of(Long.toString(age.toDays()))))).orElse(List.of());
    }

    /** The refresh token's age in days, once Convene has used one: Zalo lets one unused for about three months expire. */
    @Override
    public Map<String, Object> health() {
        return tokens.refreshTokenAge().<Map<String, Object>>map(age -> Map.of("refreshTokenAgeDays", age.toDays())).orElse(Map.of());
    }

    /** A user who wrote to the OA one-to-one: answers to them go as consulting messages, not group messages. */
    void privateChat(String userId) {
        privateChats.add(userId);
    }

    /** The OA writes only to users who wrote to it (a user's id is its chat with the OA). */
    @Override
    public java.util.Optional<String> privateChatOf(String userId) {
        return privateChats.contains(userId) ? java.util.Optional.of(userId) : java.util.Optional.empty();
    }

    @Override
    public SendOutcome send(String chatId, OutgoingMessage message) {
        return switch (message) {
            case OutgoingMessage.Text text -> sendText(chatId, text.text());
            case OutgoingMessage.Document document -> sendDocument(chatId, document);
        };
    }

    /**
     * Buttons are dropped (GMF has none; the texts Convene makes for Zalo ask for typed answers) and so are
     * mentions (the names are in the text). A text over 2,000 characters goes as several messages; should a
     * later part fail, the whole text is tried again.
     */
    private SendOutcome sendText(String chatId, String text) {
        boolean user = privateChats.contains(chatId);
        SendOutcome outcome = null;
        for (String part : parts(text)) {
            outcome = outcome(withToken(token -> user ? client.sendUserText(token, chatId, part) : client.sendGroupText(token, chatId, part)),
                    ZaloPlatform::sent);
            if (!(outcome instanceof SendOutcome.Sent)) return outcome;
        }
        return outcome;
    }

    /**
     * A file Zalo will not take fails this delivery with the reason (the agenda text is a delivery of its
     * own and goes anyway). The upload's token is returned as the file id, so other groups get the file
     * by token; a token Zalo no longer knows is replaced by a new upload.
     */
    private SendOutcome sendDocument(String chatId, OutgoingMessage.Document doc) {
        String refusal = refusal(doc);
        if (refusal != null) return new SendOutcome.Rejected(refusal, false);
        if (doc.caption() != null && !doc.caption().isBlank()) {
            // a file message has no caption in Zalo: the caption goes just before it
            SendOutcome caption = sendText(chatId, doc.caption());
            if (!(caption instanceof SendOutcome.Sent)) return caption;
        }
        if (doc.platformFileId() != null) {
            ZaloAnswer byToken = withToken(token -> client.sendGroupFile(token, chatId, doc.platformFileId()));
            if (!(byToken instanceof ZaloAnswer.Refused r) || !tokenMayBeStale(r)) {
                return outcome(byToken, data -> new SendOutcome.Sent(messageId(data), doc.platformFileId()));
            }
            log.info("zalo refused a file token, uploading again chat={} sha256={} error={} message={}", chatId, doc.sha256(), r.error(), r.message());
        }
        ZaloAnswer upload = withToken(token -> client.uploadFile(token, doc.file(), doc.filename(), mediaType(doc)));
        if (!(upload instanceof ZaloAnswer.Ok ok) || ok.data().path("token").asText("").isEmpty()) {
            return upload instanceof ZaloAnswer.Ok ? new SendOutcome.Transient("Zalo's upload answer has no token")
                    : outcome(upload, data -> new SendOutcome.Sent(null));
        }
        String fileToken = ok.data().get("token").asText();
        return outcome(withToken(token -> client.sendGroupFile(token, chatId, fileToken)), data -> new SendOutcome.Sent(messageId(data), fileToken));
    }

    /** Why Zalo would not take this file, or null when it would. */
    static String refusal(OutgoingMessage.Document doc) {
        String name = doc.filename() == null ? "" : doc.filename();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String type = doc.mediaType() == null ? "" : doc.mediaType().toLowerCase(Locale.ROOT).replaceAll(";.*$", "").strip();
        if (!FILE_EXTENSIONS.contains(extension) && !FILE_TYPES.contains(type)) {
            return "Zalo takes only PDF, DOC and DOCX files; " + name + " is " + (type.isEmpty() ? "of another type" : type)
                    + " (share it by link, or convert it to PDF)";
        }
        if (doc.size() > FILE_LIMIT) {
            return "Zalo takes files of at most 5 MB; " + name + " has " + String.format(Locale.ROOT, "%.1f MB", doc.size() / (1024.0 * 1024.0));
        }
        return null;
    }

    private static String mediaType(OutgoingMessage.Document doc) {
        if (doc.mediaType() != null && FILE_TYPES.contains(doc.mediaType())) return doc.mediaType();
        String name = doc.filename().toLowerCase(Locale.ROOT);
        return name.endsWith(".pdf") ? "application/pdf" : name.endsWith(".docx") ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                : "application/msword";
    }

    /** A refusal of a send by file token that a new upload may cure: not the rate, the quota, the token or a server fault. */
    private static boolean tokenMayBeStale(ZaloAnswer.Refused r) {
        return r.error() != 0 && r.error() != RATE_LIMITED && r.error() != QUOTA_USED_UP && !accessTokenRefused(r);
    }

    /** Zalo cannot edit a sent message. */
    @Override
    public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
        return new SendOutcome.Rejected("Zalo cannot edit messages", false);
    }

    /** There are no buttons on Zalo, so no presses to answer. */
    @Override
    public void answer(InboundEvent.ButtonPressed press, String notice) {
        log.debug("zalo has no buttons; nothing to answer chat={}", press.chatId());
    }

    /** Zalo refused the access token itself: invalid (-216), or expired or removed (-220). */
    static boolean accessTokenRefused(ZaloAnswer.Refused r) {
        return r.error() == ACCESS_TOKEN_INVALID || r.error() == ACCESS_TOKEN_EXPIRED;
    }

    /** One call with the current access token; when Zalo refuses it (-216, -220), one refresh and one more try. */
    private ZaloAnswer withToken(Function<String, ZaloAnswer> call) {
        ZaloTokens.Access access = tokens.current();
        if (access instanceof ZaloTokens.Access.None none) return new ZaloAnswer.Unreachable(none.reason());
        ZaloTokens.Access.Token token = (ZaloTokens.Access.Token) access;
        ZaloAnswer answer = call.apply(token.value());
        if (!(answer instanceof ZaloAnswer.Refused r) || !accessTokenRefused(r)) return answer;
        log.info("zalo refused the access token (error {}); refreshing and trying once more", r.error());
        return switch (tokens.replace(token.value())) {
            case ZaloTokens.Access.Token fresh -> call.apply(fresh.value());
            case ZaloTokens.Access.None none -> new ZaloAnswer.Unreachable(none.reason());
        };
    }

    /** The one place Zalo's answers become outcomes. Unknown error codes fail the delivery with Zalo's words. */
    static SendOutcome outcome(ZaloAnswer answer, Function<JsonNode, SendOutcome> sent) {
        return switch (answer) {
            case ZaloAnswer.Ok ok -> sent.apply(ok.data());
            case ZaloAnswer.Unreachable u -> new SendOutcome.Transient(u.reason());
            case ZaloAnswer.Refused r when r.error() == 0 && r.httpStatus() == 429 -> new SendOutcome.RetryAfter(RATE_WAIT, r.message());
            case ZaloAnswer.Refused r when r.error() == 0 && (r.httpStatus() >= 500 || r.httpStatus() == 408) -> new SendOutcome.Transient(r.message());
            case ZaloAnswer.Refused r when r.error() == RATE_LIMITED -> new SendOutcome.RetryAfter(RATE_WAIT, zaloWords(r));
            case ZaloAnswer.Refused r when r.error() == QUOTA_USED_UP -> new SendOutcome.RetryAfter(QUOTA_WAIT, zaloWords(r));
            // still invalid after a refresh: the app lost its rights in the OA; wait with back-off for the operator
            case ZaloAnswer.Refused r when accessTokenRefused(r) -> new SendOutcome.Transient(zaloWords(r) + " (after a refresh)");
            case ZaloAnswer.Refused r -> new SendOutcome.Rejected(zaloWords(r), false);
        };
    }

    private static String zaloWords(ZaloAnswer.Refused r) {
        return r.error() == 0 ? r.message() : "Zalo error " + r.error() + ": " + r.message();
    }

    private static SendOutcome sent(JsonNode data) {
        return new SendOutcome.Sent(messageId(data));
    }

    private static String messageId(JsonNode data) {
        String id = data.path("message_id").asText("");
        if (id.isEmpty()) id = data.path("msg_id").asText("");
        return id.isEmpty() ? null : id;
    }

    /** Cuts a text into messages of at most {@link #TEXT_LIMIT} characters, at line ends where it can. */
    static List<String> parts(String text) {
        return org.convene.chat.TextParts.cut(text, TEXT_LIMIT);
    }
}
