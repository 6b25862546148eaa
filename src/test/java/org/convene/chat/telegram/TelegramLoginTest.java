package org.convene.chat.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import java.time.Duration;
import java.util.Map;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /login in a private chat with the bot gives a secretary a one-time link to the web pages. */
class TelegramLoginTest {
    static final FakeBotApi.User HUNG = new FakeBotApi.User(8001, "Hùng", null);
    static final FakeBotApi.User MAI = new FakeBotApi.User(8002, "Mai", null);

    final FakeBotApi fake = new FakeBotApi();
    TestConvene app;

    @BeforeEach
    void start() {
        app = TestConvene.start(Map.of("CONVENE_TELEGRAM_TOKEN", FakeBotApi.TOKEN, "CONVENE_TELEGRAM_API_URL", fake.url(),
                "CONVENE_TELEGRAM_MODE", "webhook", "CONVENE_PUBLIC_URL", "https://convene.example.org"));
        fake.webhookTarget("http://localhost:" + app.convene.port());
        long unit = app.unit("Chi bộ 8");
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Nguyễn Văn Hùng", "role", "secretary", "telegramUserId", "8001"));
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Lê Thị Mai", "telegramUserId", "8002"));
        app.api.post("/api/v1/units/" + unit + "/chats", Map.of("platform", "telegram", "chatId", "-1008000000001"));
    }

    @AfterEach
    void stop() {
        app.close();
        fake.close();
    }

    @Test
    void a_secretary_gets_a_sign_in_link_without_a_preview_and_it_starts_a_session() {
        assertThat(fake.push(fake.textUpdate("8001", HUNG, "/login")).status()).isEqualTo(200);
        await("the link in the private chat", () -> fake.messages("8001").stream().anyMatch(m -> m.text.contains("/login/")));
        String text = fake.messages("8001").getLast().text;
        assertThat(text).contains("https://convene.example.org/login/");
        FakeBotApi.Call call = fake.calls("sendMessage").getLast();
        assertThat(call.params().at("/link_preview_options/is_disabled").asBoolean()).as("no preview fetches the page that names whom the link signs in").isTrue();

        String link = text.substring(text.indexOf("https://convene.example.org/login/")).split("\\s", 2)[0];
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        WebClient.Page signedIn = browser.signIn(link);
        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(signedIn.setCookie("convene_session")).contains("HttpOnly");
        assertThat(new WebClient("http://localhost:" + app.convene.port()).signIn(link).status()).as("one use").isEqualTo(403);
    }

    @Test
    void a_plain_member_gets_a_link_that_opens_the_documents_only_and_login_in_a_group_says_nothing() {
        fake.push(fake.textUpdate("8002", MAI, "/login"));
        await("the link", () -> fake.messages("8002").stream().anyMatch(x -> x.text.contains("/login/")));
        String text = fake.messages("8002").stream().filter(x -> x.text.contains("/login/")).findFirst().orElseThrow().text;
        assertThat(text).contains("https://convene.example.org/login/");
        String link = text.substring(text.indexOf("https://convene.example.org/login/")).split("\\s", 2)[0];
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());

        WebClient.Page signedIn = browser.signIn(link);

        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(signedIn.location()).isEqualTo("/documents");
        assertThat(browser.get("/documents").status()).isEqualTo(200);
        assertThat(browser.get("/").status()).as("the secretary's pages stay closed to a reader").isEqualTo(302);
        fake.push(fake.textUpdate("-1008000000001", HUNG, "/login"));
        app.advance(Duration.ofSeconds(1));
        assertThat(fake.messages("-1008000000001")).as("a link is never shown to a group").isEmpty();
    }
}
