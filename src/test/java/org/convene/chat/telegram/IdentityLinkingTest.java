package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may link a chat account to a member, and what such an account may do on the web: the attack of an
 * ordinary member who sends {@code /iam <the secretary's name>} and then {@code /login} gets nothing.
 */
class IdentityLinkingTest {
    static final String GROUP = "-1008000000001";
    static final FakeBotApi.User HUNG = new FakeBotApi.User(8001, "Hùng", null);
    static final FakeBotApi.User MAI = new FakeBotApi.User(8002, "Mai", null);
    static final FakeBotApi.User MALLORY = new FakeBotApi.User(9001, "Mallory", null);

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;
    long unit;
    long secretary;
    long mai;

    @BeforeEach
    void start() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        unit = app.unit("Chi bộ 8");
        secretary = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Nguyễn Văn Hùng", "role", "secretary")).body().get("id").asLong();
        mai = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Thị Mai", "telegramUserId", "8002")).body().get("id").asLong();
        app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "telegram", "chatId", GROUP));
    }

    @AfterEach
    void stop() {
        app.close();
        fake.close();
    }

    void say(String chatId, FakeBotApi.User from, String text) {
        assertThat(fake.push(fake.textUpdate(chatId, from, text)).status()).isEqualTo(200);
    }

    String lastText(String chatId, String containing) {
        await("a message containing " + containing + " in " + chatId,
                () -> fake.messages(chatId).stream().anyMatch(m -> m.text != null && m.text.contains(containing)));
        return fake.messages(chatId).getLast().text;
    }

    JsonNode accounts(long memberId) {
        return app.api.get("/api/v1/units/" + unit + "/members/" + memberId + "/accounts").body();
    }

    @Test
    void iam_with_the_secretarys_name_links_nothing_and_login_then_gives_no_link() {
        say(GROUP, MALLORY, "/iam Nguyễn Văn Hùng");
        assertThat(lastText(GROUP, "mã cá nhân")).contains("Nguyễn Văn Hùng");
        say(String.valueOf(MALLORY.id()), MALLORY, "/login");

        assertThat(lastText(String.valueOf(MALLORY.id()), "Chỉ bí thư")).doesNotContain("/login/");
        assertThat(accounts(secretary)).isEmpty();
    }

    @Test
    void iam_never_takes_over_a_member_who_has_an_account_on_the_platform() {
        say(GROUP, MALLORY, "/iam Lê Thị Mai");

        assertThat(lastText(GROUP, "liên kết")).contains("thành viên khác");
        assertThat(accounts(mai)).hasSize(1);
        assertThat(accounts(mai).get(0).get("userId").asText()).isEqualTo("8002");
    }

    @Test
    void an_account_a_member_linked_to_itself_signs_in_nowhere_even_after_the_member_becomes_secretary() {
        long binh = app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Trần Văn Bình", "phone", "0912345678")).body().get("id").asLong();
        say(GROUP, MALLORY, "/iam Trần Văn Bình");
        assertThat(lastText(GROUP, "Đã liên kết")).contains("Trần Văn Bình");
        assertThat(accounts(binh).get(0).get("origin").asText()).isEqualTo("self");
        app.api.postRaw("/api/v1/units/" + unit + "/members/import", "Trần Văn Bình,secretary,0912345678,\n", "text/csv");

        say(String.valueOf(MALLORY.id()), MALLORY, "/login");

        assertThat(lastText(String.valueOf(MALLORY.id()), "Chỉ bí thư")).doesNotContain("/login/");
    }

    @Test
    void a_personal_code_links_the_secretarys_account_once_and_signs_in_as_far_as_its_maker_reaches() {
        long cell = app.unitUnder(unit, "Tổ 1");
        String token = app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        Http.Reply code = app.api.as(token).post("/api/v1/units/" + unit + "/members/" + secretary + "/link-code", "");
        assertThat(code.status()).as(code.text()).isEqualTo(201);
        String hung = String.valueOf(HUNG.id());

        say(hung, HUNG, "/iam " + code.body().get("code").asText().toLowerCase());
        assertThat(lastText(hung, "Đã liên kết")).contains("Nguyễn Văn Hùng");
        say(String.valueOf(MALLORY.id()), MALLORY, "/iam " + code.body().get("code").asText());
        say(hung, HUNG, "/login");
        String text = lastText(hung, "/login/");
        String link = text.substring(text.indexOf("https://convene.example.org/login/")).split("\\s", 2)[0];
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        browser.signIn(link);

        assertThat(accounts(secretary).get(0).get("origin").asText()).isEqualTo("code");
        assertThat(fake.messages(String.valueOf(MALLORY.id()))).as("a used code links nobody else").noneMatch(m -> m.text.contains("Đã liên kết"));
        assertThat(browser.get("/units/" + unit).status()).isEqualTo(200);
        assertThat(browser.get("/units/" + cell).status()).as("the code's maker reached unit " + unit + " alone").isEqualTo(403);
    }

    @Test
    void a_member_is_told_privately_when_the_secretary_links_an_account_to_them() {
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Phạm Thu Hà", "telegramUserId", "8003"));

        assertThat(lastText("8003", "vừa được liên kết")).contains("Phạm Thu Hà", "Chi bộ 8");
    }

    @Test
    void a_members_accounts_are_listed_and_unlinked_and_the_unlinked_account_answers_for_nobody() {
        JsonNode listed = accounts(mai);
        Http.Reply unlinked = app.api.delete("/api/v1/units/" + unit + "/members/" + mai + "/accounts/telegram");
        Http.Reply again = app.api.delete("/api/v1/units/" + unit + "/members/" + mai + "/accounts/telegram");

        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("platform").asText()).isEqualTo("telegram");
        assertThat(listed.get(0).get("origin").asText()).isEqualTo("registered");
        assertThat(unlinked.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(accounts(mai)).isEmpty();
        int audited = app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'account.unlinked' AND entity_id = :m").bind("m", String.valueOf(mai))
                .mapTo(Integer.class).one());
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void another_units_token_neither_lists_nor_unlinks_a_members_accounts() {
        long other = app.unit("Chi bộ 9");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        assertThat(app.api.as(token).get("/api/v1/units/" + unit + "/members/" + mai + "/accounts").status()).isEqualTo(403);
        assertThat(app.api.as(token).delete("/api/v1/units/" + unit + "/members/" + mai + "/accounts/telegram").status()).isEqualTo(403);
        assertThat(app.api.as(token).get("/api/v1/units/" + other + "/members/" + mai + "/accounts").status()).isEqualTo(404);
    }

    @Test
    void a_group_released_by_its_unit_is_linked_by_another_units_code_and_nothing_more_goes_to_the_old_unit() {
        long other = app.unit("Chi bộ 9");
        String code = app.api.post("/api/v1/units/" + other + "/link-codes", "").body().get("code").asText();
        long chat = app.api.get("/api/v1/units/" + unit + "/chats").body().get(0).get("id").asLong();
        say(GROUP, MAI, "/link " + code);
        assertThat(lastText(GROUP, "cần gỡ liên kết")).contains("Chi bộ 8");

        app.api.post("/api/v1/units/" + unit + "/chats/" + chat + "/release", "");
        say(GROUP, MAI, "/link " + code);

        assertThat(lastText(GROUP, "Đã liên kết nhóm")).contains("Chi bộ 9");
        assertThat(app.api.get("/api/v1/units/" + other + "/chats").body().get(0).get("chatId").asText()).isEqualTo(GROUP);
        assertThat(app.api.get("/api/v1/units/" + unit + "/chats").body()).isEmpty();
    }

    @Test
    void a_burst_of_wrong_link_codes_gets_no_answers_after_the_fifth() {
        for (int i = 0; i < 8; i++) say(GROUP, MALLORY, "/link WRONG" + i);
        app.advance(Duration.ofSeconds(1));
        await("five refusals", () -> fake.messages(GROUP).stream().filter(m -> m.text.contains("Mã liên kết không đúng")).count() >= 5);
        app.advance(Duration.ofSeconds(1));

        assertThat(fake.messages(GROUP).stream().filter(m -> m.text.contains("Mã liên kết không đúng")).count()).isEqualTo(5);
    }

    @Test
    void a_flood_of_link_codes_past_the_limit_is_logged_once_a_burst() {
        for (int i = 0; i < 5; i++) say(GROUP, MALLORY, "/link WRONG" + i);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // the webhook handles each update before it answers: all 40 are handled when the loop ends
            for (int i = 0; i < 40; i++) say(GROUP, new FakeBotApi.User(9100 + i, "Mallory " + i, null), "/link WRONG" + i);
            app.clock.advance(Duration.ofMinutes(16));
            for (int i = 0; i < 5; i++) say(GROUP, MALLORY, "/link AGAIN" + i);
            say(GROUP, MALLORY, "/link AGAIN5");
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("after too many wrong attempts")))
                .as("one line for the first burst, one for the next").hasSize(2);
    }

    @Test
    void wrong_iam_attempts_from_one_account_are_limited_across_chats() {
        for (int i = 0; i < 5; i++) say(String.valueOf(MALLORY.id()), MALLORY, "/iam ABCDEFG" + (i + 2));
        await("five refusals", () -> fake.messages(String.valueOf(MALLORY.id())).size() >= 5);
        String code = app.api.post("/api/v1/units/" + unit + "/members/" + secretary + "/link-code", "").body().get("code").asText();

        say(String.valueOf(MALLORY.id()), MALLORY, "/iam " + code);
        app.advance(Duration.ofSeconds(1));

        assertThat(accounts(secretary)).as("even a right code is ignored while the account is blocked").isEmpty();
        app.advance(Duration.ofMinutes(16));
        say(String.valueOf(MALLORY.id()), MALLORY, "/iam " + code);
        await("linked once the window passed", () -> accounts(secretary).size() == 1);
    }
}
