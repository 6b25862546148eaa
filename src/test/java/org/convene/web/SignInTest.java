package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.convene.meeting.ConveneException;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passwordless sign-in: one-time links (opened to ask, pressed to sign in), the session cookie, its end,
 * sign-out and the admin's form.
 */
class SignInTest {
    TestConvene app;
    long unit;
    long secretary;
    long member;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        secretary = member(unit, "Nguyễn Văn Hùng", "secretary");
        member = member(unit, "Lê Văn Minh", "member");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    long member(long unitId, String name, String role) {
        Http.Reply r = app.api.post("/api/v1/units/" + unitId + "/members", Map.of("name", name, "role", role));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    String link(long memberId) {
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members/" + memberId + "/login-link", "");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("url").asText();
    }

    WebClient browser() {
        return new WebClient("http://localhost:" + app.convene.port());
    }

    @Test
    void POST_login_link_answers_201_with_a_link_that_works_for_ten_minutes() {
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members/" + secretary + "/login-link", "");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().get("url").asText()).matches("http://localhost:\\d+/login/[A-Za-z0-9_-]{43}");
        assertThat(r.body().get("expiresAt").asText()).isEqualTo("2026-12-01T08:10:00+07:00");
    }

    @Test
    void a_link_is_only_for_the_units_secretary_deputy_or_supervisor() {
        Http.Reply plain = app.api.post("/api/v1/units/" + unit + "/members/" + member + "/login-link", "");
        Http.Reply stranger = app.api.post("/api/v1/units/" + unit + "/members/99999/login-link", "");

        assertThat(plain.status()).isEqualTo(422);
        assertThat(stranger.status()).isEqualTo(404);
    }

    @Test
    void a_token_of_another_unit_cannot_mint_a_link_here() {
        long other = app.unit("Chi bộ thôn Đồng Tâm");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        Http.Reply r = app.api.as(token).post("/api/v1/units/" + unit + "/members/" + secretary + "/login-link", "");

        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void opening_a_link_twice_signs_nobody_in_and_shows_who_it_is_for_with_a_button_posting_to_the_link() {
        String url = link(secretary);
        String path = URI.create(url).getPath();
        WebClient previewer = browser();

        WebClient.Page first = previewer.get(url);
        WebClient.Page second = previewer.get(url);

        for (WebClient.Page page : List.of(first, second)) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.setCookie("convene_session")).isNull();
            assertThat(page.body()).contains("Nguyễn Văn Hùng", "Chi bộ khu Lạc Thanh", "Bí thư")
                    .contains("<form method=\"post\" action=\"" + path + "\"")
                    .contains("data-testid=\"login-link-submit\"");
        }
        assertThat(previewer.cookies()).doesNotContainKey("convene_session");
        assertThat(stored("SELECT COUNT(*) FROM web_sessions")).isZero();
        assertThat(browser().signIn(url).status()).as("the link still works").isEqualTo(303);
    }

    @Test
    void the_page_behind_a_link_is_not_cached_indexed_or_passed_on_in_a_referer() {
        WebClient.Page page = browser().get(link(secretary));

        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Robots-Tag")).isEqualTo("noindex");
    }

    @Test
    void the_page_behind_a_link_speaks_english_when_it_is_chosen() {
        WebClient browser = browser();
        browser.cookies().put("convene_lang", "en");

        WebClient.Page page = browser.get(link(secretary));

        assertThat(page.body()).contains("You are signing in as", "Secretary", ">Sign in</button>");
    }

    @Test
    void a_browser_opening_the_link_for_a_person_signs_in_at_once_and_a_previewer_after_it_finds_it_used() {
        String url = link(secretary);
        WebClient previewer = browser();
        assertThat(previewer.get(url).status()).as("a preview first: it spends nothing").isEqualTo(200);

        WebClient person = browser();
        WebClient.Page opened = person.navigate(url);
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.location()).isEqualTo("/");
        assertThat(opened.setCookie("convene_session")).contains("HttpOnly");
        assertThat(opened.header("Cache-Control")).isEqualTo("no-store");
        assertThat(person.get("/").body()).contains("Nguyễn Văn Hùng");

        assertThat(previewer.get(url).status()).as("used up").isEqualTo(403);
        assertThat(browser().navigate(url).status()).isEqualTo(403);
        assertThat(stored("SELECT COUNT(*) FROM web_sessions")).isEqualTo(1);
    }

    @Test
    void pressing_the_button_starts_a_session_in_an_HttpOnly_SameSite_cookie() {
        WebClient browser = browser();

        WebClient.Page signedIn = browser.signIn(link(secretary));

        assertThat(signedIn.status()).isEqualTo(303);
        assertThat(signedIn.location()).isEqualTo("/");
        String cookie = signedIn.setCookie("convene_session");
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Max-Age=43200", "Path=/").doesNotContain("Secure");
        WebClient.Page home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("Nguyễn Văn Hùng", "Chi bộ khu Lạc Thanh");
    }

    @Test
    void a_used_link_is_refused_when_pressed_again_and_when_opened_again() {
        String url = link(secretary);
        WebClient browser = browser();
        String csrf = browser.get(url).csrf();
        assertThat(browser.post(url, Map.of("csrf", csrf)).status()).isEqualTo(303);

        WebClient.Page pressedAgain = browser.post(url, Map.of("csrf", csrf));
        WebClient other = browser();
        WebClient.Page openedAgain = other.get(url);

        for (WebClient.Page page : List.of(pressedAgain, openedAgain)) {
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.setCookie("convene_session")).isNull();
            assertThat(page.body()).contains("đã được dùng hoặc đã hết hạn").doesNotContain("login-link-submit");
            // only the local chat here: there is no bot to send /login to, and the page does not say to
            assertThat(page.body()).contains("Hãy xin quản trị viên một đường dẫn mới").doesNotContain("nhắn /login cho bot");
        }
        assertThat(other.post(url, Map.of("csrf", openedAgain.csrf())).status()).isEqualTo(403);
        assertThat(stored("SELECT COUNT(*) FROM web_sessions")).isEqualTo(1);
    }

    @Test
    void two_presses_racing_on_one_link_sign_in_exactly_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String url = link(secretary);
                List<WebClient> phones = List.of(browser(), browser());
                List<String> csrfs = phones.stream().map(p -> p.get(url).csrf()).toList();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<WebClient.Page>> presses = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    WebClient phone = phones.get(i);
                    String csrf = csrfs.get(i);
                    presses.add(pool.submit(() -> {
                        go.await();
                        return phone.post(url, Map.of("csrf", csrf));
                    }));
                }
                go.countDown();

                List<Integer> statuses = new ArrayList<>();
                for (Future<WebClient.Page> press : presses) statuses.add(press.get(30, TimeUnit.SECONDS).status());
                assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(303, 403);
                assertThat(phones.stream().filter(p -> p.cookies().containsKey("convene_session")).count()).isEqualTo(1);
            }
            assertThat(stored("SELECT COUNT(*) FROM web_sessions")).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pressing_the_button_without_the_forms_csrf_token_is_refused_and_leaves_the_link_usable() {
        String url = link(secretary);
        WebClient browser = browser();
        browser.get(url);

        WebClient.Page page = browser.post(url, Map.of());

        assertThat(page.status()).isEqualTo(403);
        assertThat(browser.cookies()).doesNotContainKey("convene_session");
        assertThat(stored("SELECT COUNT(*) FROM login_links WHERE used_at IS NOT NULL")).isZero();
        assertThat(browser().signIn(url).status()).isEqualTo(303);
    }

    @Test
    void a_link_older_than_ten_minutes_is_refused_when_opened_and_when_pressed() {
        String url = link(secretary);
        WebClient leftOpen = browser();
        String csrf = leftOpen.get(url).csrf();
        app.clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        WebClient.Page pressed = leftOpen.post(url, Map.of("csrf", csrf));
        WebClient.Page opened = browser().get(url);

        for (WebClient.Page page : List.of(opened, pressed)) {
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.setCookie("convene_session")).isNull();
            assertThat(page.body()).contains("đã được dùng hoặc đã hết hạn");
        }
        assertThat(pressed.header("X-Robots-Tag")).isEqualTo("noindex");
        assertNothingStored();
    }

    @Test
    void an_unknown_link_is_refused_when_opened_and_when_pressed() {
        WebClient browser = browser();

        WebClient.Page opened = browser.get("/login/not-a-real-token");
        WebClient.Page pressed = browser.post("/login/not-a-real-token", Map.of("csrf", opened.csrf()));

        assertThat(opened.status()).isEqualTo(403);
        assertThat(pressed.status()).isEqualTo(403);
        assertThat(pressed.body()).contains("đã được dùng hoặc đã hết hạn");
        assertThat(browser.cookies()).doesNotContainKey("convene_session");
        assertNothingStored();
    }

    @Test
    void the_session_ends_when_its_hours_are_up() {
        WebClient browser = browser();
        browser.signIn(link(secretary));
        app.clock.advance(Duration.ofHours(12).minusMinutes(1));
        assertThat(browser.get("/").status()).isEqualTo(200);

        app.clock.advance(Duration.ofMinutes(1));
        WebClient.Page page = browser.get("/");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).startsWith("/login");
    }

    @Test
    void the_session_length_comes_from_web_sessionHours() {
        app.close();
        app = TestConvene.start(Map.of("CONVENE_WEB_SESSION_HOURS", "2"));
        unit = app.unit("Chi bộ khu Lạc Thanh");
        secretary = member(unit, "Nguyễn Văn Hùng", "secretary");
        WebClient browser = browser();

        WebClient.Page signedIn = browser.signIn(link(secretary));
        app.clock.advance(Duration.ofHours(2));

        assertThat(signedIn.setCookie("convene_session")).contains("Max-Age=7200");
        assertThat(browser.get("/").status()).isEqualTo(302);
    }

    @Test
    void signing_out_ends_the_session_at_once_even_for_a_copied_cookie() {
        WebClient browser = browser();
        browser.signIn(link(secretary));
        String session = browser.cookies().get("convene_session");
        String csrf = browser.get("/").csrf();

        WebClient.Page out = browser.post("/logout", Map.of("csrf", csrf));

        assertThat(out.status()).isEqualTo(302);
        assertThat(out.setCookie("convene_session")).contains("Max-Age=0");
        WebClient copy = browser();
        copy.cookies().put("convene_session", session);
        assertThat(copy.get("/").status()).isEqualTo(302);
    }

    @Test
    void the_admin_token_signs_in_through_the_form_and_a_wrong_one_does_not() {
        WebClient browser = browser();
        String csrf = browser.get("/login").csrf();

        WebClient.Page wrong = browser.post("/login", Map.of("csrf", csrf, "token", "not-the-token"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(browser.cookies()).doesNotContainKey("convene_session");

        String again = wrong.csrf();
        WebClient.Page right = browser.post("/login", Map.of("csrf", again, "token", TestConvene.ADMIN, "next", "/units/" + unit));
        assertThat(right.status()).isEqualTo(302);
        assertThat(right.location()).isEqualTo("/units/" + unit);
        assertThat(browser.get("/units/" + unit).status()).isEqualTo(200);
    }

    @Test
    void the_admin_form_without_its_csrf_token_is_refused() {
        WebClient browser = browser();
        browser.get("/login");

        WebClient.Page page = browser.post("/login", Map.of("token", TestConvene.ADMIN));

        assertThat(page.status()).isEqualTo(403);
        assertThat(browser.cookies()).doesNotContainKey("convene_session");
    }

    @Test
    void cookies_are_Secure_when_the_public_address_is_https() {
        app.close();
        app = TestConvene.start(Map.of("CONVENE_PUBLIC_URL", "https://convene.example.org"));
        unit = app.unit("Chi bộ khu Lạc Thanh");
        secretary = member(unit, "Nguyễn Văn Hùng", "secretary");
        String url = link(secretary);

        WebClient.Page page = browser().signIn(url);

        assertThat(url).startsWith("https://convene.example.org/login/");
        assertThat(page.setCookie("convene_session")).contains("Secure", "HttpOnly", "SameSite=Lax");
    }

    @Test
    void linkForAccount_serves_the_bots_login_command_for_secretaries_only() {
        SignIn signIn = app.convene.services().signIn();
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Phạm Thu Hà", "role", "secretary", "localUserId", "s-ha"));
        app.api.post("/api/v1/units/" + unit + "/members", Map.of("name", "Đỗ Văn An", "role", "member", "localUserId", "m-an"));

        SignIn.Link link = signIn.linkForAccount("local", "s-ha");

        assertThat(link.expiresAt()).isEqualTo(Instant.parse("2026-12-01T01:10:00Z"));
        assertThat(browser().signIn(link.url()).status()).isEqualTo(303);
        assertThatThrownBy(() -> signIn.linkForAccount("local", "m-an")).isInstanceOf(ConveneException.NotAllowed.class);
    }

    @Test
    void a_unit_tokens_link_reaches_no_further_than_the_token() {
        long district = app.unit("Đảng uỷ xã Tân Lập");
        long cell = createChild(district, "Chi bộ thôn Đồng Tâm");
        long sibling = createChild(district, "Chi bộ thôn Hạ");
        long supervisor = member(district, "Trần Văn Cấp", "supervisor");
        linkAlsoTo(cell, supervisor);
        String cellToken = app.api.post("/api/v1/units/" + cell + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        JsonNode minted = app.api.as(cellToken).post("/api/v1/units/" + cell + "/members/" + supervisor + "/login-link", "").body();
        WebClient browser = browser();
        WebClient.Page confirm = browser.get(minted.get("url").asText());
        browser.post(minted.get("url").asText(), Map.of("csrf", confirm.csrf()));

        assertThat(confirm.body()).as("the page names only what the link reaches").contains("Chi bộ thôn Đồng Tâm").doesNotContain("Đảng uỷ xã Tân Lập");

        assertThat(browser.get("/units/" + cell).status()).isEqualTo(200);
        assertThat(browser.get("/units/" + sibling).status()).isEqualTo(403);
        assertThat(browser.get("/units/" + district).status()).isEqualTo(403);
    }

    long stored(String countQuery) {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery(countQuery).mapTo(Long.class).one());
    }

    void assertNothingStored() {
        assertThat(stored("SELECT COUNT(*) FROM web_sessions")).as("sessions").isZero();
        assertThat(stored("SELECT COUNT(*) FROM login_links WHERE used_at IS NOT NULL")).as("links used").isZero();
    }

    private long createChild(long parent, String name) {
        return app.api.post("/api/v1/units", Map.of("name", name, "parentId", parent)).body().get("id").asLong();
    }

    /** Makes the person a supervisor of the cell too (directly: the API adds people, not roles of people it has). */
    private void linkAlsoTo(long cellId, long personId) {
        app.convene.services().database().jdbi().useHandle(h -> h.execute(
                "INSERT INTO memberships (unit_id, person_id, role, created_at) VALUES (?, ?, 'supervisor', 0)", cellId, personId));
    }
}
