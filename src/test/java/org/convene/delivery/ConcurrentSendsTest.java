package org.convene.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.convene.chat.Capabilities;
import org.convene.chat.ChatPlatform;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.InboundEvent;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.meeting.ChatService;
import org.convene.meeting.MaterialService;
import org.convene.meeting.MaterialStore;
import org.convene.meeting.MaterialTypes;
import org.convene.meeting.Meeting;
import org.convene.meeting.MeetingHooks;
import org.convene.meeting.MeetingService;
import org.convene.meeting.Requests;
import org.convene.meeting.UnitService;
import org.convene.store.Database;
import org.convene.store.GroupCommit;
import org.convene.support.MutableClock;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher with many sends in flight (a remote API that takes its time): chats go side by side,
 * yet each chat's agenda comes before its documents, each document is uploaded once, a retry-after
 * stops new sends, and the account's rate holds.
 */
class ConcurrentSendsTest {
    @TempDir
    Path dir;
    Database db;
    GroupCommit writes;
    MutableClock clock;
    SlowPlatform platform;
    Dispatcher dispatcher;
    Outbox outbox;
    Meeting meeting;
    long unitId;
    ChatService chats;

    /** A platform far away: each send takes a while, and up to eight may be on their way at once. */
    static final class SlowPlatform implements ChatPlatform {
        final Capabilities capabilities;
        final Map<String, List<String>> byChat = new HashMap<>();
        final List<String> uploads = new ArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final AtomicLong ids = new AtomicLong();
        final List<java.time.Instant> sentAt = java.util.Collections.synchronizedList(new ArrayList<>());
        java.time.Clock clock;
        volatile SendOutcome next;

        SlowPlatform(double perSecond) {
            capabilities = new Capabilities(true, true, true, 4096, perSecond, 20);
        }

        @Override
        public String name() {
            return "slow";
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
        public int concurrentSends() {
            return 8;
        }

        @Override
        public SendOutcome send(String chatId, OutgoingMessage message) {
            if (clock != null) sentAt.add(clock.instant());
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            synchronized (this) {
                SendOutcome scripted = next;
                next = null;
                if (scripted != null) return scripted;
                String fileId = null;
                if (message instanceof OutgoingMessage.Document d) {
                    if (d.platformFileId() == null) {
                        uploads.add(d.sha256());
                        fileId = "file-" + d.sha256().substring(0, 8);
                    }
                    byChat.computeIfAbsent(chatId, c -> new ArrayList<>()).add("document");
                } else {
                    byChat.computeIfAbsent(chatId, c -> new ArrayList<>()).add("text");
                }
                return new SendOutcome.Sent(String.valueOf(ids.incrementAndGet()), fileId);
            }
        }

        @Override
        public SendOutcome edit(String chatId, String messageId, OutgoingMessage.Text message) {
            return new SendOutcome.Sent(messageId);
        }

        @Override
        public void answer(InboundEvent.ButtonPressed press, String notice) {}

        synchronized int sent() {
            return byChat.values().stream().mapToInt(List::size).sum();
        }
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(TestConvene.START);
        db = Database.sqlite(dir.resolve("convene.db"));
        db.migrate();
        writes = new GroupCommit(db.jdbi(), "test-writer", 64);
        platform = new SlowPlatform(1000);
        platform.clock = clock;
        Random random = new Random(7);
        MaterialStore store = new MaterialStore(dir);
        // the spacing goes by the test's clock too, so that what it allows is exact
        dispatcher = new Dispatcher(db.jdbi(), writes, org.convene.store.Leases.sole(db.jdbi(), clock), clock, () -> nanos(clock.instant()),
                new ChatPlatforms().add(platform), store, random, DeliveryMetrics.none(), LiveContent.NONE);
        outbox = new Outbox(new MessageRenderer(new Templates(null), new ButtonIds(new byte[32])), clock, LiveContent.NONE);
        unitId = new UnitService(db.jdbi(), clock, random, "Asia/Ho_Chi_Minh", "vi").create("test", new Requests.NewUnit("Chi bộ", null, null, null)).id();
        chats = new ChatService(db.jdbi(), clock, random, Set.of("slow"));
        meeting = new MeetingService(db.jdbi(), clock, MeetingHooks.NONE).create("test", new Requests.MeetingRequest(unitId, "Họp",
                null, "2026-12-05T19:30", null, null, List.of(), null, null));
        MaterialService materials = new MaterialService(db.jdbi(), clock, store, new MaterialTypes(), 1_000_000);
        materials.attach("test", meeting.id(), "nghi-quyet.pdf", new ByteArrayInputStream(Samples.pdf()), false);
        byte[] second = (new String(Samples.pdf(), StandardCharsets.ISO_8859_1) + "% phụ lục\n").getBytes(StandardCharsets.ISO_8859_1);
        materials.attach("test", meeting.id(), "phu-luc.pdf", new ByteArrayInputStream(second), false);
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO reminders (id, meeting_id, position, offset_iso, kind, due_at, state, created_at)
                VALUES (1, ?, 0, 'P3D', 'agenda', 0, 'fired', 0)""", meeting.id()));
    }

    @AfterEach
    void tearDown() {
        dispatcher.close();
        writes.close();
        db.close();
    }

    static long nanos(java.time.Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private void wave(int chatCount) {
        for (int i = 0; i < chatCount; i++) chats.add("test", unitId, new Requests.NewChat("slow", "g" + i, null));
        db.jdbi().useTransaction(h -> outbox.agenda(h, meeting, 1, clock.instant()));
    }

    private void drainUntilSent(int messages) {
        for (int round = 0; round < 100 && platform.sent() < messages; round++) {
            dispatcher.drainOnce();
            clock.advance(Duration.ofMillis(250));
        }
    }

    @Test
    void chats_go_side_by_side_each_in_order_with_each_document_uploaded_once() {
        wave(40);
        drainUntilSent(120);

        assertThat(platform.sent()).isEqualTo(120);
        assertThat(platform.mostInFlight.get()).as("sends overlap").isGreaterThan(1).isLessThanOrEqualTo(8);
        assertThat(platform.byChat).hasSize(40).allSatisfy((chat, kinds) -> assertThat(kinds).containsExactly("text", "document", "document"));
        assertThat(platform.uploads).as("two documents, each uploaded once").hasSize(2).doesNotHaveDuplicates();
        int recorded = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM deliveries WHERE state = 'sent'").mapTo(Integer.class).one());
        assertThat(recorded).isEqualTo(120);
    }

    @Test
    void sends_in_flight_are_spaced_evenly_from_the_first_with_no_burst_saved_up() {
        wave(300);
        dispatcher.drainOnce();
        assertThat(platform.sent()).as("after a quiet second, one send: nothing is saved up").isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            int before = platform.sent();
            clock.advance(Duration.ofMillis(25));
            dispatcher.drainOnce();
            assertThat(platform.sent() - before).as("25 ms at 1000 in every 1.04 s").isBetween(24, 25);
        }
    }

    @Test
    void a_retry_after_starts_no_new_send_until_it_has_passed_and_the_chat_keeps_its_order() {
        wave(10);
        platform.next = new SendOutcome.RetryAfter(Duration.ofSeconds(3), "Too Many Requests: retry after 3");
        dispatcher.drainOnce();
        assertThat(platform.sent()).as("the window starts at one send; its 429 stops the rest").isZero();
        clock.advance(Duration.ofSeconds(2));
        dispatcher.drainOnce();
        assertThat(platform.sent()).isZero();
        clock.advance(Duration.ofSeconds(1));
        drainUntilSent(30);
        assertThat(platform.byChat).hasSize(10).allSatisfy((chat, kinds) -> assertThat(kinds).containsExactly("text", "document", "document"));
    }
}
