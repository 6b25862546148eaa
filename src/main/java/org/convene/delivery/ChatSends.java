package org.convene.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;

/**
 * One chat's claimed deliveries, sent one after the other on a worker (an agenda before its documents),
 * while other chats' sends run beside it; the chat holds one place in its account's window throughout,
 * since it has one send on its way at a time. Each outcome is recorded as soon as the platform answered, as
 * a one-thread dispatcher did, so that a member's reply to a message the bot just posted finds it in the
 * outbox. When one is not sent, the rest of the chat's are released untried, to follow it in order.
 */
final class ChatSends implements Runnable {
    /** A bound on the wait for a slot, whatever the clock says. */
    private static final Duration MAX_WAIT = Duration.ofMillis(100);
    /** A bound on waiting for the account's count of departures, in real time, whatever the clock says (a test's may stand still). */
    private static final Duration MAX_DEPARTURE_WAIT = Duration.ofSeconds(2);

    private final List<SendResult.Claim> claims;
    private final Clock clock;
    private final DocumentFiles files;
    private final SendWindows windows;
    private final Map<String, Instant> pausedUntil;
    private final OutcomeWriter outcomes;
    private final LiveContent live;
    private final RateLimits limits;
    private final Runnable finished;

    ChatSends(List<SendResult.Claim> claims, Clock clock, DocumentFiles files, SendWindows windows, Map<String, Instant> pausedUntil,
              OutcomeWriter outcomes, LiveContent live, RateLimits limits, Runnable finished) {
        this.claims = claims;
        this.limits = limits;
        this.live = live;
        this.outcomes = outcomes;
        this.clock = clock;
        this.files = files;
        this.windows = windows;
        this.pausedUntil = pausedUntil;
        this.finished = finished;
    }

    @Override
    public void run() {
        List<SendResult.Released> released = new ArrayList<>();
        int settled = 0;
        SendOutcome last = null;
        try {
            SendResult.Attempted failed = null;
            for (SendResult.Claim claim : claims) {
                if (failed != null) {
                    released.add(new SendResult.Released(claim));
                    untried(claim);
                    settled++;
                    continue;
                }
                waitForSlot(claim);
                SendOutcome outcome = send(claim);
                last = outcome;
                Instant at = clock.instant();
                if (claim.uploadSha() != null) {
                    files.uploadEnded(claim.platform(), claim.uploadSha(), outcome instanceof SendOutcome.Sent s ? s.platformFileId() : null);
                }
                if (outcome instanceof SendOutcome.RetryAfter wait) {
                    // at once: no new send of this account may start while the outcome is being recorded
                    pausedUntil.merge(claim.platform().name(), at.plus(wait.after()), (a, b) -> a.isAfter(b) ? a : b);
                    limits.paused(claim.platform(), at.plus(wait.after()));
                }
                settled++;
                SendResult.Attempted attempted = new SendResult.Attempted(claim, outcome, at);
                outcomes.write(attempted);
                if (!(outcome instanceof SendOutcome.Sent)) failed = attempted;
            }
            if (!released.isEmpty()) outcomes.release(failed, released);
        } finally {
            // whatever went wrong, the chat's window place and its uploads are given back: a lost place would stall the account
            for (int i = settled; i < claims.size(); i++) untried(claims.get(i));
            windows.done(claims.getFirst().platform(), last);
            finished.run();
        }
    }

    /** A claim that was never tried gives back its upload and its rate tokens: it did not reach the platform. */
    private void untried(SendResult.Claim claim) {
        if (claim.uploadSha() != null) files.uploadEnded(claim.platform(), claim.uploadSha(), null);
        limits.unused(claim.platform(), claim.chat().platformChatId(), claim.slot());
    }

    /**
     * A send leaves at its slot, not earlier: the dispatcher claims a pass's worth of slots at once, and sends
     * that left together would arrive bunched. The wait is short (the dispatcher claims a few passes ahead at
     * most) and is never repeated, so a clock that does not move (a test's) cannot hold a send back for good.
     */
    private void waitForSlot(SendResult.Claim claim) {
        try {
            long nanos = claim.slot() == null ? 0 : Duration.between(clock.instant(), claim.slot()).toNanos();
            if (nanos > 0) Thread.sleep(Duration.ofNanos(Math.min(nanos, MAX_WAIT.toNanos())));
            // then the account's count of sends that really left: a worker that ran late waits its turn again
            long deadline = System.nanoTime() + MAX_DEPARTURE_WAIT.toNanos();
            for (Duration wait; !(wait = limits.depart(claim.platform(), clock.instant())).isZero() && System.nanoTime() < deadline; ) {
                Thread.sleep(wait.compareTo(MAX_WAIT) < 0 ? wait : MAX_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SendOutcome send(SendResult.Claim claim) {
        OutgoingMessage message;
        try {
            message = claim.message() != null ? claim.message()
                    : live.tally(((Payload.Tally) claim.payload()).meetingId(), claim.platform().name());
        } catch (RuntimeException e) {
            return new SendOutcome.Rejected("cannot build the message: " + e.getMessage(), false);
        }
        try {
            return claim.editOf() != null && message instanceof OutgoingMessage.Text text
                    ? claim.platform().edit(claim.chat().platformChatId(), claim.editOf(), text)
                    : claim.platform().send(claim.chat().platformChatId(), message);
        } catch (RuntimeException e) {
            return new SendOutcome.Transient(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
