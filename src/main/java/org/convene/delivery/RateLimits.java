package org.convene.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;

/**
 * The platform's declared limits, kept on our side so that a wave runs right at them instead of
 * bouncing off 429s: one bucket per bot account (Telegram: ~30/s) and one per chat (Telegram: 20/min
 * per group, with a short burst so an agenda and its documents go out together).
 *
 * <p>An account whose sends go one at a time saves up a second's worth. One with many sends in flight
 * saves up only a quarter second's: the platform counts messages when they arrive, and sends on their way
 * together arrive with jitter (a slow first connection, a busy worker), bunched closer than they were
 * paced; the smaller burst keeps that jitter inside the platform's own allowance, so a wave runs at the
 * rate without a 429. After the first quarter second it changes nothing.
 */
final class RateLimits {
    private static final int CHAT_BURST = 3;
    private static final double CONCURRENT_BURST_SECONDS = 0.25;

    private final Clock clock;
    private final Map<String, TokenBucket> accounts = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> chats = new ConcurrentHashMap<>();

    RateLimits(Clock clock) {
        this.clock = clock;
    }

    /** How long the send must wait; zero when it may go now. */
    Duration waitTime(ChatPlatform platform, String chatId) {
        Duration account = account(platform).map(TokenBucket::waitTime).orElse(Duration.ZERO);
        Duration chat = chat(platform, chatId).map(TokenBucket::waitTime).orElse(Duration.ZERO);
        return account.compareTo(chat) > 0 ? account : chat;
    }

    /** Whether the whole account is out of tokens (then no chat of it can go). */
    Duration accountWait(ChatPlatform platform) {
        return account(platform).map(TokenBucket::waitTime).orElse(Duration.ZERO);
    }

    void taken(ChatPlatform platform, String chatId) {
        account(platform).ifPresent(TokenBucket::take);
        chat(platform, chatId).ifPresent(TokenBucket::take);
    }

    /** The tokens of a send that was claimed but never tried (released behind a failed message, or lost to another dispatcher). */
    void unused(ChatPlatform platform, String chatId) {
        account(platform).ifPresent(TokenBucket::giveBack);
        chat(platform, chatId).ifPresent(TokenBucket::giveBack);
    }

    private java.util.Optional<TokenBucket> account(ChatPlatform platform) {
        Capabilities c = platform.capabilities();
        if (c.messagesPerSecond() <= 0) return java.util.Optional.empty();
        return java.util.Optional.of(accounts.computeIfAbsent(platform.name() + "/" + platform.account(),
                k -> new TokenBucket(clock, c.messagesPerSecond(), platform.concurrentSends() > 1
                        ? Math.ceil(c.messagesPerSecond() * CONCURRENT_BURST_SECONDS) : c.messagesPerSecond())));
    }

    private java.util.Optional<TokenBucket> chat(ChatPlatform platform, String chatId) {
        Capabilities c = platform.capabilities();
        if (c.messagesPerMinutePerChat() <= 0) return java.util.Optional.empty();
        return java.util.Optional.of(chats.computeIfAbsent(platform.name() + "/" + platform.account() + "/" + chatId,
                k -> new TokenBucket(clock, c.messagesPerMinutePerChat() / 60.0, CHAT_BURST)));
    }
}
