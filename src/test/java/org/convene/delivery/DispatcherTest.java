package org.convene.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.convene.chat.ChatPlatforms;
import org.convene.chat.OutgoingMessage;
import org.convene.chat.SendOutcome;
import org.convene.meeting.Chat;
import org.convene.meeting.ChatDao;
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
import org.convene.support.FakePlatform;
import org.convene.support.MutableClock;
import org.convene.support.Samples;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher against a scripted platform, on a real SQLite file, with time moved by hand. */
class DispatcherTest {
    @TempDir
    Path dir;
    Database db;
    MutableClock clock;
    FakePlatform platform;
    Dispatcher dispatcher;
    Outbox outbox;
    MaterialService materials;
    Meeting meeting;
    long unitId;
    ChatService chats;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(TestConvene.START);
        db = Database.sqlite(dir.resolve("convene.db"));
        db.migrate();
        platform = new FakePlatform(clock, 30, 20);
        ChatPlatforms platforms = new ChatPlatforms().add(platform);
        Random random = new Random(7);
        MaterialStore store = new MaterialStore(dir);
        dispatcher = new Dispatcher(db.jdbi(), clock, platforms, store, random, DeliveryMetrics.none(), LiveContent.NONE);
        outbox = new Outbox(new MessageRenderer(new Templates(null), new ButtonIds(new byte[32])), clock, LiveContent.NONE);
        unitId = new UnitService(db.jdbi(), clock, random, "Asia/Ho_Chi_Minh", "vi").create("test", new Requests.NewUnit("Chi bộ", null, null, null)).id();
        chats = new ChatService(db.jdbi(), clock, random, Set.of("fake"));
        meeting = new MeetingService(db.jdbi(), clock, MeetingHooks.NONE).create("test", new Requests.MeetingRequest(unitId, "Họp",
                null, "2026-12-05T19:30", null, null, List.of(), null, null));
        materials = new MaterialService(db.jdbi(), clock, store, new MaterialTypes(), 1_000_000);
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO reminders (id, meeting_id, position, offset_iso, kind, due_at, state, created_at)
                VALUES (1, ?, 0, 'P3D', 'agenda', 0, 'fired', 0), (2, ?, 1, 'PT2H', 'reminder', 0, 'fired', 0)""", meeting.id(), meeting.id()));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void wave(int chatCount) {
        for (int i = 0; i < chatCount; i++) chats.add("test", unitId, new Requests.NewChat("fake", "g" + i, null));
        db.jdbi().useTransaction(h -> outbox.agenda(h, meeting, 1, clock.instant()));
    }

    private List<Chat> chatList() {
        return db.jdbi().withExtension(ChatDao.class, d -> d.ofUnit(unitId));
    }

    private List<Delivery> deliveries() {
        return db.jdbi().withExtension(DeliveryDao.class, d -> d.ofMeeting(meeting.id()));
    }

    /** The most sends that fall within any one window of {@code length} (sliding, each window ending at a send). */
    static int mostInAnyWindow(List<java.time.Instant> sends, Duration length) {
        List<java.time.Instant> sorted = sends.stream().sorted().toList();
        int most = 0;
        for (int first = 0, last = 0; last < sorted.size(); last++) {
            while (!sorted.get(first).plus(length).isAfter(sorted.get(last))) first++;
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    private List<java.time.Instant> attemptTimes() {
        return platform.attempts().stream().map(FakePlatform.SentMessage::at).toList();
    }

    @Test
    void a_wave_never_puts_more_than_the_rate_into_any_one_second_window_and_finishes_as_time_passes() {
        wave(100);
        dispatcher.drainOnce();
        assertThat(platform.attempts()).as("a second's worth at once: the window is empty").hasSize(30);
        clock.advance(Duration.ofMillis(500));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).as("half a second later the same window still holds 30: nothing saved up on top").hasSize(30);
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(50));
            dispatcher.drainOnce();
        }
        assertThat(platform.delivered()).hasSize(100);
        assertThat(mostInAnyWindow(attemptTimes(), Duration.ofSeconds(1))).isLessThanOrEqualTo(30);
        assertThat(deliveries()).allSatisfy(d -> assertThat(d.state()).isEqualTo(Delivery.SENT));
    }

    @Test
    void one_chat_gets_twenty_messages_in_any_minute_and_no_more() {
        chats.add("test", unitId, new Requests.NewChat("fake", "g0", null));
        db.jdbi().useTransaction(h -> {
            for (int i = 0; i < 25; i++) outbox.text(h, meeting, "notice", new OutgoingMessage.Text("tin " + i), "test:" + i);
        });
        dispatcher.drainOnce();
        assertThat(platform.attempts()).hasSize(20);
        clock.advance(Duration.ofSeconds(59));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).as("the minute has not passed").hasSize(20);
        clock.advance(Duration.ofSeconds(3));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).hasSize(25);
        assertThat(mostInAnyWindow(attemptTimes(), Duration.ofMinutes(1))).isLessThanOrEqualTo(20);
    }

    @Test
    void a_node_taking_the_sending_over_counts_what_was_sent_in_the_last_second_into_its_window() {
        wave(40);
        // the node before this one sent 30 messages half a second ago, and crashed with one more in flight
        List<Delivery> sent = deliveries().subList(0, 30);
        db.jdbi().useHandle(h -> {
            for (Delivery d : sent) {
                h.execute("UPDATE deliveries SET state = 'sent', sent_at = ?, attempts = 1 WHERE id = ?",
                        clock.instant().minusMillis(500).toEpochMilli(), d.id());
            }
        });
        dispatcher.drainOnce();
        assertThat(platform.attempts()).as("the window is full of the other node's sends").isEmpty();
        clock.advance(Duration.ofMillis(600));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).isNotEmpty();
    }

    @Test
    void one_units_flood_does_not_hold_another_units_reminder_past_its_due_time() {
        // the flooding unit has many chats (a pilot meeting's observers, or a big committee) and thousands of messages due now
        for (int i = 0; i < 100; i++) chats.add("test", unitId, new Requests.NewChat("fake", "flood" + i, null));
        db.jdbi().useTransaction(h -> {
            for (int i = 0; i < 20; i++) outbox.text(h, meeting, "notice", new OutgoingMessage.Text("tin " + i), "flood:" + i);
        });
        long otherUnit = new UnitService(db.jdbi(), clock, new Random(3), "Asia/Ho_Chi_Minh", "vi")
                .create("test", new Requests.NewUnit("Chi bộ 2", null, null, null)).id();
        chats.add("test", otherUnit, new Requests.NewChat("fake", "other", null));
        Meeting theirs = new MeetingService(db.jdbi(), clock, MeetingHooks.NONE).create("test", new Requests.MeetingRequest(otherUnit, "Họp",
                null, "2026-12-05T19:30", null, null, List.of(), null, null));
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO reminders (id, meeting_id, position, offset_iso, kind, due_at, state, created_at)
                VALUES (3, ?, 0, 'PT2H', 'reminder', 0, 'fired', 0)""", theirs.id()));
        // the other unit's reminder was fired early by pre-roll: it is due 5 s from now, behind 2,000 messages due now
        java.time.Instant due = clock.instant().plusSeconds(5);
        db.jdbi().useTransaction(h -> outbox.reminder(h, theirs, 3, due));
        java.time.Instant end = clock.instant().plusSeconds(10);
        while (clock.instant().isBefore(end)) {
            dispatcher.drainOnce();
            clock.advance(Duration.ofMillis(100));
        }
        Delivery reminder = db.jdbi().withExtension(DeliveryDao.class, d -> d.ofMeeting(theirs.id())).getFirst();
        assertThat(reminder.state()).isEqualTo(Delivery.SENT);
        assertThat(reminder.sentAt()).isBefore(due);
        assertThat(platform.delivered()).as("the flood still goes at the rate").hasSizeGreaterThan(200);
    }

    @Test
    void a_wave_is_planned_at_the_pace_the_windows_allow_not_above_it() {
        Duration needed = dispatcher.timeToSend(java.util.Map.of(clock.instant(), java.util.Map.of("fake", 300L))).get(clock.instant());
        assertThat(needed).as("300 messages at 30 in every 1.04 s").isEqualTo(Duration.ofMillis(10_400));
    }

    @Test
    void retry_after_is_honoured_for_the_whole_account_without_counting_an_attempt_for_the_others() {
        wave(3);
        platform.then(new SendOutcome.RetryAfter(Duration.ofSeconds(5), "Too Many Requests: retry after 5"));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).hasSize(1);
        clock.advance(Duration.ofSeconds(4));
        dispatcher.drainOnce();
        assertThat(platform.attempts()).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        dispatcher.drainOnce();
        assertThat(platform.delivered()).hasSize(3);
        assertThat(deliveries()).extracting(Delivery::attempts).containsOnly(1);
    }

    @Test
    void a_transient_fault_backs_off_and_then_succeeds() {
        wave(1);
        platform.then(new SendOutcome.Transient("HTTP 502"));
        dispatcher.drainOnce();
        Delivery waiting = deliveries().get(0);
        assertThat(waiting.state()).isEqualTo(Delivery.QUEUED);
        assertThat(waiting.lastError()).isEqualTo("HTTP 502");
        assertThat(waiting.nextAttemptAt()).isAfter(clock.instant());
        clock.set(waiting.nextAttemptAt());
        dispatcher.drainOnce();
        assertThat(deliveries().get(0).state()).isEqualTo(Delivery.SENT);
        assertThat(deliveries().get(0).attempts()).isEqualTo(2);
    }

    @Test
    void a_transient_fault_that_never_ends_fails_after_the_last_attempt() {
        wave(1);
        for (int i = 0; i < Dispatcher.MAX_ATTEMPTS; i++) platform.then(new SendOutcome.Transient("timeout"));
        for (int i = 0; i < Dispatcher.MAX_ATTEMPTS; i++) {
            dispatcher.drainOnce();
            clock.advance(Duration.ofMinutes(6));
        }
        Delivery last = deliveries().get(0);
        assertThat(last.state()).isEqualTo(Delivery.FAILED);
        assertThat(last.lastError()).contains("gave up", "timeout");
    }

    @Test
    void a_kicked_bot_fails_the_delivery_with_the_platforms_words_and_marks_the_chat_left() {
        wave(1);
        platform.then(new SendOutcome.Rejected("Forbidden: bot was kicked from the supergroup chat", true));
        dispatcher.drainOnce();
        assertThat(deliveries().get(0).state()).isEqualTo(Delivery.FAILED);
        assertThat(deliveries().get(0).lastError()).isEqualTo("Forbidden: bot was kicked from the supergroup chat");
        assertThat(chatList()).extracting(Chat::state).containsExactly(Chat.LEFT);
    }

    @Test
    void a_moved_chat_is_followed_and_the_message_resent_there() {
        wave(1);
        platform.then(new SendOutcome.Moved("-1001557912345"));
        dispatcher.drainOnce();
        dispatcher.drainOnce();
        assertThat(platform.delivered()).extracting(FakePlatform.SentMessage::chatId).containsExactly("-1001557912345");
        assertThat(chatList()).extracting(Chat::platformChatId).containsExactly("-1001557912345");
    }

    @Test
    void a_document_is_uploaded_once_per_account_and_then_sent_by_file_id() {
        materials.attach("test", meeting.id(), "nghi-quyet.pdf", new ByteArrayInputStream(Samples.pdf()), false);
        wave(3);
        for (int i = 0; i < 3; i++) {
            dispatcher.drainOnce();
            clock.advance(Duration.ofSeconds(3));
        }
        List<OutgoingMessage.Document> docs = platform.delivered().stream().map(FakePlatform.SentMessage::message)
                .filter(OutgoingMessage.Document.class::isInstance).map(OutgoingMessage.Document.class::cast).toList();
        assertThat(docs).hasSize(3);
        assertThat(docs.get(0).platformFileId()).isNull();
        assertThat(docs.subList(1, 3)).allSatisfy(d -> assertThat(d.platformFileId()).startsWith("file-"));
    }

    @Test
    void deliveries_in_flight_at_a_crash_go_out_again_after_restart() {
        wave(2);
        db.jdbi().useExtension(DeliveryDao.class, d -> d.claim(deliveries().get(0).id()));
        assertThat(deliveries().get(0).state()).isEqualTo(Delivery.SENDING);
        Dispatcher restarted = new Dispatcher(db.jdbi(), clock, new ChatPlatforms().add(platform), new MaterialStore(dir), new Random(1),
                DeliveryMetrics.none(), LiveContent.NONE);
        assertThat(restarted.recoverInFlight()).isEqualTo(1);
        assertThat(deliveries().get(0).state()).isEqualTo(Delivery.QUEUED);
        restarted.drainOnce();
        assertThat(deliveries()).extracting(Delivery::state).containsOnly(Delivery.SENT);
    }

    @Test
    void earliest_deadline_goes_first() {
        chats.add("test", unitId, new Requests.NewChat("fake", "g0", null));
        db.jdbi().useTransaction(h -> {
            outbox.reminder(h, meeting, 2, clock.instant().plus(Duration.ofMinutes(30)));
            outbox.agenda(h, meeting, 1, clock.instant().plus(Duration.ofMinutes(5)));
        });
        dispatcher.drainOnce();
        assertThat(platform.attempts().get(0).message()).isInstanceOf(OutgoingMessage.Text.class);
        assertThat(((OutgoingMessage.Text) platform.attempts().get(0).message()).buttons()).isNotEmpty();
    }
}
