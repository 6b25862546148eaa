package org.convene.chat.zalobot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.convene.chat.PollingThread;
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

    private final ZaloBotClient client;
    private final ZaloBotInbox inbox;
    private final Lease lease;
    private final int pollSeconds;
    private final PollingThread loop = new PollingThread("zalobot-poller");

    ZaloBotPoller(ZaloBotClient client, ZaloBotInbox inbox, String botId, Leases leases) {
        this.client = client;
        this.inbox = inbox;
        this.lease = leases.lease("zalobot-polling:" + botId);
        // shorter than the lease's renewal when other nodes may wait on it, so that a long poll never outlives the lease
        this.pollSeconds = leases.soleNode() ? POLL_TIMEOUT_SECONDS
                : (int) Math.max(1, Math.min(POLL_TIMEOUT_SECONDS, lease.timeToLive().toSeconds() / 3));
    }

    void start() {
        loop.start(this::run);
    }

    private void run() {
        boolean webhookDeleted = false;
        while (loop.running()) {
            try {
                if (lease.hold() == Lease.Holding.ELSEWHERE) {
                    loop.pause(lease.timeToLive().dividedBy(5));
                    continue;
                }
                if (!webhookDeleted) {
                    // polling and the webhook exclude each other
                    webhookDeleted = client.deleteWebhook() instanceof ZaloBotAnswer.Ok;
                    if (!webhookDeleted) {
                        loop.pause(loop.nextBackoff());
                        continue;
                    }
                }
                ZaloBotAnswer answer = client.getUpdates(pollSeconds);
                if (!loop.running()) break;
                switch (answer) {
                    case ZaloBotAnswer.Ok ok -> {
                        handle(ok.result());
                        loop.succeeded();
                    }
                    // nothing came within the timeout: ask again at once
                    case ZaloBotAnswer.Refused r when r.errorCode() == 408 -> loop.succeeded();
                    case ZaloBotAnswer.Refused r -> {
                        log.warn("zalo bot getUpdates refused code={} description={}", r.errorCode(), r.description());
                        if (r.description().toLowerCase(java.util.Locale.ROOT).contains("webhook")) webhookDeleted = false;
                        loop.pause(loop.nextBackoff());
                    }
                    case ZaloBotAnswer.Unreachable u -> loop.pause(loop.nextBackoff());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("zalo bot polling round failed; trying again", e);
                try {
                    loop.pause(loop.nextBackoff());
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

    /** Stops the loop: the waiting getUpdates is cancelled, a pause ends, an event being handled is finished. */
    @Override
    public void close() {
        loop.stop(client::stopPolling);
        lease.release();
    }
}
