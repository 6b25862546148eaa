package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's first finding, on the machine's own time so that Quartz's triggers decide: after a wave whose
 * tally edits found one group migrated and the bot kicked from the other, a reminder due seconds later
 * still goes out on time instead of waiting for the minute sweep.
 */
class ReminderAfterTroubledWaveTest {
    static final String SUPERGROUP = TelegramDoneWhenTest.SUPERGROUP;
    static final String GROUP = TelegramDoneWhenTest.GROUP;
    static final String UPGRADED = TelegramDoneWhenTest.UPGRADED;
    static final FakeBotApi.User LAN = TelegramDoneWhenTest.LAN;
    static final FakeBotApi.User MINH = new FakeBotApi.User(5550002, "Minh", "minh_le");

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    @Test
    void a_reminder_due_five_seconds_after_a_wave_with_a_migrated_and_a_kicked_group_goes_out_within_a_second() throws Exception {
        app = TestConvene.startIn(Files.createTempDirectory("convene-test-"), MutableClock.ticking(), Map.of(
                "CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"), c -> c);
        fake.webhookTarget("http://localhost:" + app.convene.port());
        long unit = app.unit("Chi bộ khu Lạc Thanh");
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Thị Lan", "telegramUserId", String.valueOf(LAN.id())));
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Văn Minh", "telegramUserId", String.valueOf(MINH.id())));
        for (String chat : List.of(SUPERGROUP, GROUP)) {
            fake.push(fake.botAddedUpdate(chat, "Chi bộ khu Lạc Thanh"));
            String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
            assertThat(fake.push(fake.textUpdate(chat, LAN, "/link " + code)).status()).isEqualTo(200);
        }
        // the first meeting's agenda goes out at once (its offset is already past)
        OffsetDateTime inThreeHours = OffsetDateTime.now(ZoneOffset.ofHours(7)).plusHours(3).withNano(0);
        long first = meeting(unit, inThreeHours, "P1D");
        await("the first agenda in both groups", () -> agendas(SUPERGROUP) == 1 && agendas(GROUP) == 1);
        FakeBotApi.Posted inGroup = agenda(GROUP);
        FakeBotApi.Posted inSupergroup = agenda(SUPERGROUP);
        fake.migrate(GROUP, UPGRADED);
        fake.kick(SUPERGROUP);

        // the first edit takes a second and a half to be refused: the second meeting is planned while it is on its way
        fake.slow("editMessageText", Duration.ofMillis(1500));
        fake.push(fake.pressUpdate(inGroup, LAN, inGroup.buttonData().getFirst()));
        fake.push(fake.pressUpdate(inSupergroup, MINH, inSupergroup.buttonData().get(1)));
        await("a tally edit on its way", () -> tallies(first).stream().anyMatch(d -> d.get("state").asText().equals("sending")));

        // the second meeting's agenda is due 5 s from now
        Instant due = Instant.now().plusSeconds(5);
        OffsetDateTime start = due.plus(Duration.ofHours(2)).atOffset(ZoneOffset.ofHours(7));
        long second = meeting(unit, start, "PT2H");
        await("the second agenda in the upgraded group", () -> fake.messages(UPGRADED).stream().anyMatch(m -> !m.buttonData().isEmpty()));
        Instant arrived = Instant.now();
        // the tally edits met both refusals: the kicked group is left, the migrated one has its new id
        assertThat(tallies(first)).extracting(d -> d.get("lastError").asText()).contains("Forbidden: bot was kicked from the supergroup chat");
        assertThat(app.api.get("/api/v1/units/" + unit + "/chats").body()).extracting(c -> c.get("chatId").asText() + " " + c.get("state").asText())
                .containsExactlyInAnyOrder(SUPERGROUP + " left", UPGRADED + " active");

        assertThat(app.api.get("/api/v1/meetings/" + second).body().at("/reminders/0/state").asText()).isEqualTo("fired");
        assertThat(Duration.between(due, arrived)).as("late by").isLessThan(Duration.ofSeconds(1));
    }

    private long meeting(long unit, OffsetDateTime startsAt, String offset) {
        return app.api.post("/api/v1/meetings", Map.of("unitId", unit, "title", "Họp chi bộ", "startsAt", startsAt.toString(),
                "reminders", List.of(Map.of("offset", offset, "kind", "agenda")))).body().get("id").asLong();
    }

    private List<JsonNode> tallies(long meeting) {
        List<JsonNode> rows = new java.util.ArrayList<>();
        app.api.get("/api/v1/meetings/" + meeting + "/deliveries").body().forEach(d -> {
            if (d.get("kind").asText().equals("tally")) rows.add(d);
        });
        return rows;
    }

    private long agendas(String chat) {
        return fake.messages(chat).stream().filter(m -> m.fileId == null && !m.buttonData().isEmpty()).count();
    }

    private FakeBotApi.Posted agenda(String chat) {
        return fake.messages(chat).stream().filter(m -> m.fileId == null && !m.buttonData().isEmpty()).findFirst().orElseThrow();
    }
}
