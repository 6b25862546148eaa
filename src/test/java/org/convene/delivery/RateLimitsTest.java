package org.convene.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;

/**
 * The pace itself, on simulated time: a dispatcher's passes every 10 ms claiming what the limits allow
 * 20 ms ahead, for a long saturated wave, read back as the platform's strict sliding windows would count it.
 */
class RateLimitsTest {
    /** A remote platform with many sends in flight (the shape of Telegram's), sending nothing itself. */
    private static ChatPlatform remote(double perSecond) {
        Capabilities capabilities = new Capabilities(true, true, true, 4096, perSecond, 20);
        return new ChatPlatform() {
            @Override
            public String name() {
                return "remote";
            }

            @Override
            public String account() {
                return "bot";
            }

            @Override
            public Capabilities capabilities() {
                return capabilities;
            }

            @Override
            public int concurrentSends() {
                return 256;
            }

            @Override
            public SendOutcome send(String chatId, OutgoingMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void answer(InboundEvent.ButtonPressed press, String notice) {}
        };
    }

    /** The simulated time, for the spacing as for the windows. */
    private Instant simulated = TestConvene.START;
    private final RateLimits limits = new RateLimits(() -> ConcurrentSendsTest.nanos(simulated));

    /** Runs passes from {@code from} for {@code length}, each claiming for fresh chats; returns the slots taken. */
    private List<Instant> saturate(RateLimits limits, ChatPlatform platform, Instant from, Duration length, int[] chat) {
        List<Instant> slots = new ArrayList<>();
        for (Instant now = from; now.isBefore(from.plus(length)); now = now.plusMillis(10)) {
            simulated = now;
            Instant horizon = now.plusMillis(20);
            while (!limits.accountFreeAt(platform, now).isAfter(horizon)) slots.add(limits.reserve(platform, "g" + (chat[0]++ % 5000), now));
        }
        return slots;
    }

    @Test
    void a_long_wave_at_30_and_at_1000_a_second_keeps_every_one_second_window_at_the_rate_and_reaches_095_of_it() {
        for (double rate : new double[] {30, 1000}) {
            RateLimits limits = new RateLimits(() -> ConcurrentSendsTest.nanos(simulated));
            ChatPlatform platform = remote(rate);
            List<Instant> slots = saturate(limits, platform, TestConvene.START, Duration.ofSeconds(20), new int[1]);
            assertThat(DispatcherTest.mostInAnyWindow(slots, Duration.ofSeconds(1))).as("at %s/s", rate).isLessThanOrEqualTo((int) rate);
            double achieved = slots.size() / 20.0;
            assertThat(achieved / rate).as("at %s/s", rate).isGreaterThanOrEqualTo(0.95).isLessThanOrEqualTo(1.0);
            assertThat(limits.pace(platform) / rate).as("the pace a wave is planned with").isBetween(0.95, 1.0);
        }
    }

    @Test
    void after_a_retry_after_the_pace_resumes_without_a_window_over_the_rate() {
        ChatPlatform platform = remote(30);
        int[] chat = new int[1];
        List<Instant> slots = new ArrayList<>(saturate(limits, platform, TestConvene.START, Duration.ofSeconds(5), chat));
        // a 429 with retry_after 1: the dispatcher holds the account for the second, then the pace resumes
        Instant pausedAt = TestConvene.START.plusSeconds(5);
        limits.paused(platform, pausedAt.plusSeconds(1));
        List<Instant> after = saturate(limits, platform, pausedAt.plusSeconds(1), Duration.ofSeconds(5), chat);
        assertThat(after.subList(0, 2)).as("no burst when it resumes: the second send a spacing after the first")
                .satisfies(first -> assertThat(Duration.between(first.get(0), first.get(1))).isGreaterThan(Duration.ofMillis(30)));
        slots.addAll(after);
        assertThat(DispatcherTest.mostInAnyWindow(slots, Duration.ofSeconds(1))).isLessThanOrEqualTo(30);
    }

    @Test
    void a_takeover_counts_the_predecessors_last_second_so_the_window_it_shares_stays_at_the_rate() {
        ChatPlatform platform = remote(30);
        List<Instant> before = new ArrayList<>();
        for (int i = 0; i < 30; i++) before.add(TestConvene.START.minusMillis(600).plusMillis(i * 20));
        before.forEach(at -> limits.sentBefore(platform, "old" + before.indexOf(at), at));
        List<Instant> after = saturate(limits, platform, TestConvene.START, Duration.ofSeconds(3), new int[1]);
        List<Instant> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(DispatcherTest.mostInAnyWindow(all, Duration.ofSeconds(1))).isLessThanOrEqualTo(30);
        assertThat(after.getFirst()).as("the first send waits for the predecessor's first to leave the window")
                .isAfterOrEqualTo(TestConvene.START.minusMillis(600).plusMillis(1000));
    }

    @Test
    void a_chat_gets_twenty_in_any_minute_however_fast_the_account_is() {
        ChatPlatform platform = remote(1000);
        List<Instant> slots = new ArrayList<>();
        for (Instant now = TestConvene.START; now.isBefore(TestConvene.START.plusSeconds(130)); now = now.plusMillis(100)) {
            simulated = now;
            if (!limits.chatFreeAt(platform, "g", now).isAfter(now)) slots.add(limits.reserve(platform, "g", now));
        }
        assertThat(DispatcherTest.mostInAnyWindow(slots, Duration.ofMinutes(1))).isEqualTo(20);
        assertThat(slots).hasSize(60);
    }
}
