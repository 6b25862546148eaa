package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sign-in link opened from another site asks first; back and next lead only to paths of this site. */
class CrossSiteTest {
    static TestConvene app;
    static long unit;
    static long secretary;

    @BeforeAll
    static void start() {
        app = TestConvene.start();
        unit = app.unit("Chi bộ khu Lạc Thanh");
        secretary = app.memberAs(unit, "Nguyễn Văn Hùng", "secretary");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static WebClient browser() {
        return new WebClient("http://localhost:" + app.convene.port());
    }

    static String link() {
        Http.Reply r = app.api.post("/api/v1/units/" + unit + "/members/" + secretary + "/login-link", "");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("url").asText();
    }

    @Test
    void a_link_tapped_on_another_site_shows_the_confirm_page_and_signs_nobody_in() {
        WebClient visitor = browser();

        WebClient.Page opened = visitor.navigate(link(), "cross-site");

        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.body()).contains("Nguyễn Văn Hùng", "method=\"post\"");
        assertThat(visitor.cookies()).doesNotContainKey("convene_session");
    }

    @Test
    void a_link_tapped_in_a_chat_app_or_typed_still_signs_in_at_once() {
        for (String site : List.of("none", "same-origin")) {
            WebClient person = browser();
            assertThat(person.navigate(link(), site).status()).as(site).isEqualTo(303);
            assertThat(person.cookies()).as(site).containsKey("convene_session");
        }
    }

    @Test
    void back_and_next_lead_only_to_paths_of_this_site() {
        for (String target : List.of("/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%0d%0a/evil.example",
                "/ /evil.example", "javascript:alert(1)", "/a\\b", "/%7F/evil.example")) {
            WebClient.Page lang = browser().get("/lang?to=en&back=" + target);
            assertThat(lang.location()).as("/lang back=" + target).isEqualTo("/");
            WebClient browser = browser();
            String csrf = browser.get("/login").csrf();
            WebClient.Page signedIn = browser.post("/login", Map.of("csrf", csrf, "token", TestConvene.ADMIN, "next", decoded(target)));
            assertThat(signedIn.location()).as("/login next=" + target).isEqualTo("/");
        }
        assertThat(browser().get("/lang?to=en&back=/units/" + unit + "?tab=1").location()).isEqualTo("/units/" + unit + "?tab=1");
    }

    private static String decoded(String target) {
        return java.net.URLDecoder.decode(target.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
