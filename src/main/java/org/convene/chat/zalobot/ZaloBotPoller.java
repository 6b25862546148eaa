package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.convene.store.Lease;
import org.convene.store.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling, for servers without public HTTPS: getUpdates in a loop on a virtual thread. Zalo documents
 * no offset: an event it handed out is not handed out again, and a repeated one is dropped by its message id.
 * One poller per bot runs at a time, the holder of the polling lease; other nodes stand by and take over.
 */
final class ZaloBotPoller implements AutoCloseable {
    /** Seconds Zalo holds a getUpdates open when there is nothing new (its documented default). */
    static final int POLL_TIMEOUT_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(ZaloBotPoller.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(1);

    private final ZaloBotClient client;
    private final ZaloBotInbox inbox;
    private final Lease lease;
    private final int pollSeconds;
    private volatile boolean running;
    private Thread thread;
    private Duration backoff = FIRST_BACKOFF;

    ZaloBotPoller(ZaloBotClient client, ZaloBotInbox inbox, String botId, Leases leases) {
        this.client = client;
        this.inbox = inbox;
        this.lease = leases.lease("zalobot-polling:" + botId);
        // shorter than the lease's renewal when other nodes may wait on it, so that a long poll never outlives the lease
        this.pollSeconds = leases.soleNode() ? POLL_TIMEOUT_SECONDS
                : (int) Math.max(1, Math.min(POLL_TIMEOUT_SECONDS, lease.timeToLive().toSeconds() / 3));
    }

    void start() {
        running = true;
        thread = Thread.ofVirtual().name("zalobot-poller").start(this::run);
    }

    private void run() {
        boolean webhookDeleted = false;
        while (running) {
            try {
                if (lease.hold() == Lease.Holding.ELSEWHERE) {
                    pause(lease.timeToLive().dividedBy(5));
                    continue;
                }
                if (!webhookDeleted) {
                    // polling and the webhook exclude each other
                    webhookDeleted = client.deleteWebhook() instanceof ZaloBotAnswer.Ok;
                    if (!webhookDeleted) {
                        pause(nextBackoff());
                        continue;
                    }
                }
                ZaloBotAnswer answer = client.getUpdates(pollSeconds);
                if (!running) break;
                switch (answer) {
                    case ZaloBotAnswer.Ok ok -> {
                        handle(ok.result());
                        backoff = FIRST_BACKOFF;
                    }
                    // nothing came within the timeout: ask again at once
                    case ZaloBotAnswer.Refused r when r.errorCode() == 408 -> backoff = FIRST_BACKOFF;
                    case ZaloBotAnswer.Refused r -> {
                        log.warn("zalo bot getUpdates refused code={} description={}", r.errorCode(), r.description());
                        if (r.description().toLowerCase(java.util.Locale.ROOT).contains("webhook")) webhookDeleted = false;
                        pause(nextBackoff());
                    }
                    case ZaloBotAnswer.Unreachable u -> pause(nextBackoff());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("zalo bot polling round failed; trying again", e);
                try {
                    pause(nextBackoff());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.info("zalo bot long polling stopped");
    }

    /**
     * Zalo documents one event in {@code result}; an array is read too, in order. An event whose handling
     * fails is logged and passed over: polling has no redelivery to wait for.
     */
    private void handle(JsonNode result) {
        Iterable<JsonNode> events = result.isArray() ? result : java.util.List.of(result);
        for (JsonNode event : events) {
            if (event.isNull() || event.isMissingNode() || (event.isObject() && event.isEmpty())) continue;
            try {
                inbox.receive(event);
            } catch (RuntimeException e) {
                log.error("zalo bot event not handled, passed over", e);
            }
        }
    }

    private Duration nextBackoff() {
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
        return wait;
    }

    /** Waits, or less when closed; never by interrupting, which would break a handler's database or HTTP work. */
    private void pause(Duration wait) throws InterruptedException {
        synchronized (this) {
            if (running) wait(Math.max(1, wait.toMillis()));
        }
    }

    /** Stops the loop: the waiting getUpdates is cancelled, a pause ends, an event being handled is finished. */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        client.stopPolling();
        if (thread == null) return;
        try {
            if (!thread.join(Duration.ofSeconds(5))) log.warn("zalo bot poller did not stop within 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.release();
    }
}
