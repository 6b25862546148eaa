package org.convene.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;

/** A chat platform that records what was sent and answers with scripted outcomes (then "sent"). */
public final class FakePlatform implements ChatPlatform {
    public record SentMessage(String chatId, OutgoingMessage message, java.time.Instant at) {}

    private final java.time.Clock clock;
    private final Capabilities capabilities;
    private final Deque<SendOutcome> script = new ArrayDeque<>();
    private final List<SentMessage> attempts = new ArrayList<>();
    private final List<SentMessage> delivered = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);

    public FakePlatform(java.time.Clock clock, double perSecond, int perMinutePerChat) {
        this.clock = clock;
        this.capabilities = new Capabilities(true, true, true, 4096, perSecond, perMinutePerChat);
    }

    /** The next sends answer with these outcomes, in order. */
    public synchronized FakePlatform then(SendOutcome... outcomes) {
        script.addAll(List.of(outcomes));
        return this;
    }

    public synchronized List<SentMessage> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized List<SentMessage> delivered() {
        return List.copyOf(delivered);
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String account() {
        return "bot-1";
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public synchronized SendOutcome send(String chatId, OutgoingMessage message) {
        SentMessage m = new SentMessage(chatId, message, clock.instant());
        attempts.add(m);
        SendOutcome next = script.poll();
        if (next != null) return next;
        delivered.add(m);
        String fileId = message instanceof OutgoingMessage.Document d && d.platformFileId() == null ? "file-" + d.sha256().substring(0, 8) : null;
        return new SendOutcome.Sent(String.valueOf(ids.incrementAndGet()), fileId);
    }

    @Override
    public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
        return new SendOutcome.Sent(messageId);
    }

    @Override
    public void answer(InboundEvent.ButtonPressed press, String notice) {}
}
