package org.convene.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.chat.ChatPlatform;
import org.convene.chat.SendOutcome;

/**
 * How many sends each bot account may have on their way at once, counted as chats with sends in flight
 * (a chat sends one message at a time). A window starts at one and doubles with each chat whose messages
 * went, up to what the platform allows; a retry-after shuts it back to one, so that after the platform
 * said "slow down" a single send tests the water before the others follow. The pace itself is the rate
 * limiter's business; the window only bounds the overlap.
 */
final class SendWindows {
    private static final class Window {
        int size = 1;
        int inFlight;
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Takes a place for one chat's sends; false when the account's window is full. */
    boolean tryTake(ChatPlatform platform) {
        Window w = window(platform);
        synchronized (w) {
            if (w.inFlight >= Math.min(w.size, platform.concurrentSends())) return false;
            w.inFlight++;
            return true;
        }
    }

    /** Gives a place back, with the chat's last outcome, or null when nothing was sent (its claims were lost). */
    void done(ChatPlatform platform, SendOutcome outcome) {
        Window w = window(platform);
        synchronized (w) {
            w.inFlight--;
            if (outcome instanceof SendOutcome.Sent) w.size = Math.min(w.size * 2, platform.concurrentSends());
            else if (outcome instanceof SendOutcome.RetryAfter) w.size = 1;
        }
    }

    /** Sends on their way, all accounts together. */
    int inFlight() {
        int n = 0;
        for (Window w : windows.values()) {
            synchronized (w) {
                n += w.inFlight;
            }
        }
        return n;
    }

    private Window window(ChatPlatform platform) {
        return windows.computeIfAbsent(platform.name() + "/" + platform.account(), k -> new Window());
    }
}
