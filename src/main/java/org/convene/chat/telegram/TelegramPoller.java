package org.convene.chat.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.convene.chat.InboundEvent;
import org.convene.chat.PollingThread;
import org.convene.store.Lease;
import org.convene.store.Leases;
import org.convene.store.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling, for servers without public HTTPS: getUpdates in a loop on a virtual thread. The offset is
 * stored after each batch is handled, and update ids are de-duplicated as for the webhook, so a restart
 * neither loses updates (Telegram keeps the unconfirmed ones) nor handles one twice.
 *
 * <p>Telegram answers only one getUpdates at a time per bot, so of several nodes only the one holding the
 * polling lease polls; the others stand by and take over, from the stored offset, when it stops renewing.
 */
final class TelegramPoller implements AutoCloseable {
    /** Seconds Telegram holds a getUpdates open when there is nothing new (the Bot API advises 25–50). */
    static final int POLL_TIMEOUT_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(TelegramPoller.class);

    private final TelegramClient client;
    private final TelegramInbox inbox;
    private final TelegramPlatform platform;
    private final Settings settings;
    private final String offsetSetting;
    private final Lease lease;
    /** Shorter than the lease's renewal when other nodes may wait on it, so that a long poll never outlives the lease. */
    private final int pollSeconds;
    private final PollingThread loop = new PollingThread("telegram-poller");

    TelegramPoller(TelegramClient client, TelegramInbox inbox, TelegramPlatform platform, Settings settings, Leases leases) {
        this.client = client;
        this.inbox = inbox;
        this.platform = platform;
        this.settings = settings;
        // per bot: another bot's offset would confirm (and so drop) this bot's updates
        this.offsetSetting = offsetSetting(platform.account());
        this.lease = leases.lease("telegram-polling:" + platform.account());
        this.pollSeconds = leases.soleNode() ? POLL_TIMEOUT_SECONDS
                : (int) Math.max(1, Math.min(POLL_TIMEOUT_SECONDS, lease.timeToLive().toSeconds() / 3));
    }

    static String offsetSetting(String botId) {
        return "telegram-polling-offset:" + botId;
    }

    void start() {
        loop.start(this::run);
    }

    private void run() {
        boolean webhookDeleted = false;
        long offset = 0;
        while (loop.running()) {
            try {
                switch (lease.hold()) {
                    case ELSEWHERE -> {
                        loop.pause(lease.timeToLive().dividedBy(5));
                        continue;
                    }
                    case TAKEN -> {
                        // where this node or another left off
                        offset = settings.get(offsetSetting).map(Long::parseLong).orElse(0L);
                        log.info("telegram long polling from offset={}", offset);
                    }
                    case KEPT -> { }
                }
                if (!webhookDeleted) {
                    // getUpdates answers 409 while a webhook is set
                    webhookDeleted = client.deleteWebhook() instanceof BotApiAnswer.Ok;
                    if (!webhookDeleted) {
                        loop.pause(loop.nextBackoff());
                        continue;
                    }
                }
                BotApiAnswer answer = client.getUpdates(offset, pollSeconds);
                if (!loop.running()) break;
                switch (answer) {
                    case BotApiAnswer.Ok ok -> {
                        offset = handle(ok.result(), offset);
                        loop.succeeded();
                    }
                    case BotApiAnswer.Refused r when r.errorCode() == 409 -> {
                        log.warn("telegram getUpdates conflict, deleting the webhook again: {}", r.description());
                        webhookDeleted = false;
                        loop.pause(loop.nextBackoff());
                    }
                    case BotApiAnswer.Refused r when r.retryAfter() != null -> loop.pause(Duration.ofSeconds(r.retryAfter()));
                    case BotApiAnswer.Refused r -> {
                        log.warn("telegram getUpdates refused code={} description={}", r.errorCode(), r.description());
                        loop.pause(loop.nextBackoff());
                    }
                    case BotApiAnswer.Unreachable u -> loop.pause(loop.nextBackoff());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("telegram polling round failed; trying again", e);
                try {
                    loop.pause(loop.nextBackoff());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.info("telegram long polling stopped at offset={}", offset);
    }

    /**
     * Handles a batch in order and stores the offset after it. An update whose handling fails is logged
     * and passed over: holding the offset on it would stop every later update behind it.
     */
    private long handle(JsonNode batch, long offset) {
        long next = offset;
        for (JsonNode update : batch) {
            long id = update.path("update_id").asLong(-1);
            try {
                if (inbox.receive(update) instanceof TelegramInbox.Received.Handled h && h.event() instanceof InboundEvent.ButtonPressed press) {
                    platform.answer(press, h.notice());
                }
            } catch (RuntimeException e) {
                log.error("telegram update not handled, passed over update={}", id, e);
            }
            // the last id + 1, not the largest: after a week without updates Telegram starts ids afresh
            if (id >= 0) next = id + 1;
        }
        if (next != offset) settings.put(offsetSetting, Long.toString(next));
        return next;
    }

    /** Stops the loop: the waiting getUpdates is cancelled, a pause ends, a batch being handled is finished. */
    @Override
    public void close() {
        loop.stop(client::stopPolling);
        lease.release();
    }
}
