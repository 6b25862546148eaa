package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.web.ApiErrorsTest.assertError;

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

/** Guessing tokens, the admin's sign-in or sign-in links from one address is slowed to 20 failures a minute. */
class GuessingTest {
    TestConvene app;

    @BeforeEach
    void start() {
        app = TestConvene.start();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    WebClient browser() {
        return new WebClient("http://localhost:" + app.convene.port());
    }

    @Test
    void after_20_wrong_bearer_tokens_in_a_minute_the_address_gets_429_with_retry_after_even_with_the_right_one() {
        Http guesser = app.api.as("cvn_guess");
        for (int i = 0; i < 20; i++) assertError(guesser.get("/api/v1/units"), 401, "unauthorized");

        Http.Reply refused = app.api.get("/api/v1/units");

        assertError(refused, 429, "too_many");
        assertThat(refused.body().at("/error/message").asText()).contains("limits.failuresPerMinute");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        app.clock.advance(Duration.ofSeconds(61));
        assertThat(app.api.get("/api/v1/units").status()).as("the minute has passed").isEqualTo(200);
    }

    @Test
    void wrong_bearer_tokens_on_the_local_chats_paths_count_the_same() {
        Http guesser = app.api.as("cvn_guess");
        for (int i = 0; i < 20; i++) assertError(guesser.get("/api/v1/local/chats/g1/messages"), 401, "unauthorized");

        Http.Reply refused = guesser.get("/api/v1/local/chats/g1/messages");

        assertError(refused, 429, "too_many");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertError(app.api.get("/api/v1/units"), 429, "too_many");
    }

    @Test
    void right_tokens_do_not_count() {
        for (int i = 0; i < 50; i++) assertThat(app.api.get("/api/v1/units").status()).isEqualTo(200);
        assertError(app.api.as("cvn_guess").get("/api/v1/units"), 401, "unauthorized");
    }

    @Test
    void wrong_admin_tokens_on_the_sign_in_form_are_slowed_the_same_way() {
        WebClient browser = browser();
        String csrf = browser.get("/login").csrf();
        for (int i = 0; i < 20; i++) {
            WebClient.Page wrong = browser.post("/login", Map.of("csrf", csrf, "token", "adm_guess_" + i));
            assertThat(wrong.status()).isEqualTo(401);
            csrf = wrong.csrf();
        }

        WebClient.Page refused = browser.post("/login", Map.of("csrf", csrf, "token", TestConvene.ADMIN));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(browser.cookies()).doesNotContainKey("convene_session");
    }

    @Test
    void unknown_sign_in_links_are_slowed_the_same_way() {
        WebClient browser = browser();
        for (int i = 0; i < 20; i++) assertThat(browser.get("/login/guess" + i).status()).isEqualTo(403);

        WebClient.Page refused = browser.get("/login/guess-more");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(browser.post("/login/guess-more", Map.of()).status()).as("the confirm page's button too").isEqualTo(429);
    }

    @Test
    void a_burst_of_refusals_is_logged_once() {
        Http guesser = app.api.as("cvn_guess");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 60; i++) guesser.get("/api/v1/units");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("refusing bearer tokens from address"))).hasSize(1);
    }

    @Test
    void behind_a_proxy_on_this_machine_each_forwarded_client_is_counted_apart() {
        Http.Reply r = null;
        for (int i = 0; i < 20; i++) r = guessFrom("203.0.113.7");
        assertThat(r.status()).isEqualTo(401);
        assertThat(guessFrom("203.0.113.7").status()).isEqualTo(429);
        assertThat(guessFrom("198.51.100.9").status()).as("another client behind the same proxy").isEqualTo(401);
    }

    private Http.Reply guessFrom(String client) {
        okhttp3.Request request = new okhttp3.Request.Builder().url("http://localhost:" + app.convene.port() + "/api/v1/units")
                .header("Authorization", "Bearer cvn_guess").header("X-Forwarded-For", "10.0.0.1, " + client).build();
        try (okhttp3.Response response = new okhttp3.OkHttpClient().newCall(request).execute()) {
            return new Http.Reply(response.code(), Http.JSON.missingNode(), response.body().string(), response.header("Content-Type"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
