package org.convene.chat.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.chat.Button;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatUser;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.jdbi.v3.core.Jdbi;

/**
 * The built-in platform: messages go to the database and show on /local. With a rate set it answers
 * sends beyond it the way a real platform's 429 does, so that waves can be watched.
 */
public final class LocalPlatform implements ChatPlatform {
    public static final String NAME = "local";
    static final String BOT = "bot";

    private final LocalChatDao messages;
    private final Clock clock;
    private final double ratePerSecond;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong presses = new java.util.concurrent.atomic.AtomicLong();
    private double tokens;
    private Instant refilledAt;

    /** @param ratePerSecond messages accepted per second, 0 for no limit */
    public LocalPlatform(Jdbi jdbi, Clock clock, double ratePerSecond) {
        this.messages = new LocalChatDao(jdbi);
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.tokens = Math.max(1, ratePerSecond);
        this.refilledAt = clock.instant();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String account() {
        return BOT;
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, true, 4096, ratePerSecond, 0);
    }

    @Override
    public SendOutcome send(String chatId, OutgoingMessage message) {
        Optional<Duration> wait = take();
        if (wait.isPresent()) return new SendOutcome.RetryAfter(wait.get(), "Too Many Requests: local rate limit");
        Instant now = clock.instant();
        long id = switch (message) {
            case OutgoingMessage.Text text -> messages.insert(chatId, BOT, "Convene", text.text(), rows(text.buttons()), null,
                    text.mentions().stream().map(ChatUser::id).toList(), null, now);
            case OutgoingMessage.Document doc -> messages.insert(chatId, BOT, "Convene", null, List.of(),
                    new LocalMessage.LocalDocument(doc.filename(), doc.mediaType(), doc.size(), doc.sha256(),
                            doc.file().toString(), doc.caption()), List.of(), null, now);
        };
        return new SendOutcome.Sent(String.valueOf(id));
    }

    @Override
    public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
        Optional<Duration> wait = take();
        if (wait.isPresent()) return new SendOutcome.RetryAfter(wait.get(), "Too Many Requests: local rate limit");
        boolean edited = messages.edit(chatId, Long.parseLong(messageId), message.text(), rows(message.buttons()), clock.instant());
        return edited ? new SendOutcome.Sent(messageId) : new SendOutcome.Rejected("Bad Request: message to edit not found", false);
    }

    @Override
    public void answer(InboundEvent.ButtonPressed press, String notice) {
        answers.put(press.callbackId(), notice == null ? "" : notice);
    }

    /** A member pressed a button on /local; empty when the message or button does not exist. */
    public Optional<InboundEvent.ButtonPressed> press(String chatId, long messageId, String buttonId, ChatUser user) {
        return messages.find(chatId, messageId)
                .filter(m -> m.buttonRows().stream().flatMap(List::stream).anyMatch(b -> b.id().equals(buttonId)))
                .map(m -> new InboundEvent.ButtonPressed(NAME, chatId, String.valueOf(messageId), user, buttonId,
                        chatId + ":" + messageId + ":" + user.id() + ":" + presses.incrementAndGet()));
    }

    /** The notice given for a press, once: a phone shows it and forgets it. */
    public String takeAnswer(String callbackId) {
        return answers.remove(callbackId);
    }

    /** A member said something in a local chat; it is stored like any message and becomes an event. */
    public InboundEvent.TextReceived say(String chatId, ChatUser user, String text, Long replyTo) {
        long id = messages.insert(chatId, user.id(), user.displayName(), text, List.of(), null, List.of(), replyTo, clock.instant());
        return new InboundEvent.TextReceived(NAME, chatId, String.valueOf(id), user, text,
                replyTo == null ? null : String.valueOf(replyTo), false);
    }

    /** Deletes messages sent before {@code cutoff}: the local chat is for trying things, not for keeping them. */
    public int forgetBefore(Instant cutoff) {
        return messages.deleteBefore(cutoff);
    }

    public List<LocalMessage> messages(String chatId) {
        return messages.ofChat(chatId);
    }

    public Optional<LocalMessage> message(String chatId, long messageId) {
        return messages.find(chatId, messageId);
    }

    private static List<List<LocalMessage.LocalButton>> rows(List<List<Button>> buttons) {
        return buttons.stream().map(row -> row.stream().map(b -> new LocalMessage.LocalButton(b.id(), b.label())).toList()).toList();
    }

    /** A token bucket over the injected clock; empty when a message may go now. */
    private synchronized Optional<Duration> take() {
        if (ratePerSecond <= 0) return Optional.empty();
        Instant now = clock.instant();
        double elapsed = Duration.between(refilledAt, now).toNanos() / 1e9;
        if (elapsed > 0) {
            tokens = Math.min(Math.max(1, ratePerSecond), tokens + elapsed * ratePerSecond);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Optional.empty();
        }
        long waitNanos = (long) Math.ceil((1 - tokens) / ratePerSecond * 1e9);
        return Optional.of(Duration.ofNanos(waitNanos));
    }
}
