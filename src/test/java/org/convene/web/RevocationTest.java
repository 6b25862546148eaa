package org.convene.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.convene.support.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What was handed out can be taken back: unit tokens, calendar feed addresses, a person's sessions, bound chats. */
class RevocationTest {
    TestConvene app;
    long district;
    long cell;

    @BeforeEach
    void start() {
        app = TestConvene.start();
        district = app.unit("Đảng uỷ xã Tân Lập");
        cell = app.unitUnder(district, "Chi bộ thôn Đồng Tâm");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    int audited(String action) {
        return app.convene.services().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_events WHERE action = :a")
                .bind("a", action).mapTo(Integer.class).one());
    }

    @Test
    void a_unit_token_is_listed_without_its_secret_and_a_revoked_one_gets_401_at_once() {
        JsonNode issued = app.api.post("/api/v1/units/" + cell + "/tokens", Map.of("role", "secretary", "label", "điện thoại của Hùng")).body();
        Http asToken = app.api.as(issued.get("token").asText());
        assertThat(asToken.get("/api/v1/units/" + cell).status()).isEqualTo(200);

        JsonNode listed = app.api.get("/api/v1/units/" + cell + "/tokens").body();
        Http.Reply revoked = app.api.delete("/api/v1/units/" + cell + "/tokens/" + issued.get("id").asLong());

        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("label").asText()).isEqualTo("điện thoại của Hùng");
        assertThat(listed.toString()).doesNotContain(issued.get("token").asText());
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(asToken.get("/api/v1/units/" + cell).status()).isEqualTo(401);
        assertThat(app.api.get("/api/v1/units/" + cell + "/tokens").body().get(0).get("revoked").asBoolean()).isTrue();
        assertThat(audited("token.revoked")).isEqualTo(1);
    }

    @Test
    void a_cells_own_token_neither_lists_nor_revokes_its_units_tokens_but_a_supervisor_above_does() {
        String secretary = app.api.post("/api/v1/units/" + cell + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
        String supervisor = app.api.post("/api/v1/units/" + district + "/tokens", Map.of("role", "supervisor")).body().get("token").asText();
        long id = app.api.post("/api/v1/units/" + cell + "/tokens", Map.of("role", "secretary")).body().get("id").asLong();

        assertThat(app.api.as(secretary).get("/api/v1/units/" + cell + "/tokens").status()).isEqualTo(403);
        assertThat(app.api.as(secretary).delete("/api/v1/units/" + cell + "/tokens/" + id).status()).isEqualTo(403);
        assertThat(app.api.as(supervisor).delete("/api/v1/units/" + district + "/tokens/" + id).status()).as("not a token of that unit").isEqualTo(403);
        assertThat(app.api.as(supervisor).delete("/api/v1/units/" + cell + "/tokens/" + id).status()).isEqualTo(204);
        assertThat(app.api.delete("/api/v1/units/" + cell + "/tokens/999").status()).isEqualTo(404);
    }

    @Test
    void rotating_the_calendar_address_ends_the_old_one_at_once() {
        String before = app.api.get("/api/v1/units/" + cell).body().get("calendarUrl").asText();
        String oldPath = before.substring(before.indexOf("/calendar/"));
        assertThat(app.anonymous.get(oldPath).status()).isEqualTo(200);

        Http.Reply rotated = app.api.post("/api/v1/units/" + cell + "/calendar/rotate", "");

        String after = rotated.body().get("calendarUrl").asText();
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(after).isNotEqualTo(before);
        assertThat(app.anonymous.get(oldPath).status()).isEqualTo(404);
        assertThat(app.anonymous.get(after.substring(after.indexOf("/calendar/"))).status()).isEqualTo(200);
        assertThat(audited("calendar.rotated")).isEqualTo(1);
    }

    @Test
    void signing_a_person_out_everywhere_ends_each_of_their_sessions() {
        long hung = app.memberAs(cell, "Nguyễn Văn Hùng", "secretary");
        WebClient phone = signedIn(hung);
        WebClient laptop = signedIn(hung);

        Http.Reply ended = app.api.post("/api/v1/units/" + cell + "/members/" + hung + "/sign-out", "");

        assertThat(ended.body().get("ended").asInt()).isEqualTo(2);
        assertThat(phone.get("/units/" + cell).status()).isIn(302, 303, 401);
        assertThat(laptop.get("/units/" + cell).status()).isIn(302, 303, 401);
        assertThat(audited("web.signed-out-everywhere")).isEqualTo(1);
    }

    @Test
    void the_sign_out_everywhere_button_ends_the_viewers_other_sessions_too() {
        long hung = app.memberAs(cell, "Nguyễn Văn Hùng", "secretary");
        WebClient phone = signedIn(hung);
        WebClient laptop = signedIn(hung);
        String csrf = laptop.get("/").csrf();

        WebClient.Page out = laptop.post("/logout", Map.of("csrf", csrf, "everywhere", "1"));

        assertThat(out.status()).isIn(302, 303);
        assertThat(phone.get("/units/" + cell).status()).isIn(302, 303, 401);
        assertThat(laptop.get("/units/" + cell).status()).isIn(302, 303, 401);
    }

    @Test
    void a_bound_chat_never_moves_to_another_unit_and_its_unit_releases_it() {
        long other = app.unit("Chi bộ khu Lạc Thanh");
        long chat = app.localChat(cell, "dong-tam");
        app.member(cell, "Lê Văn Minh", "minh");
        String code = app.api.post("/api/v1/units/" + other + "/link-codes", "").body().get("code").asText();

        say("dong-tam", "/link " + code);
        JsonNode stillHere = app.api.get("/api/v1/units/" + cell + "/chats").body();
        String answer = app.localMessages("dong-tam").toString();
        Http.Reply released = app.api.post("/api/v1/units/" + cell + "/chats/" + chat + "/release", "");

        assertThat(stillHere.get(0).get("state").asText()).isEqualTo("active");
        assertThat(answer).contains("cần gỡ liên kết");
        assertThat(app.localMessages("dong-tam").toString()).as("a released chat is bound to no unit").contains("not_found");
        assertThat(app.api.get("/api/v1/units/" + other + "/chats").body()).isEmpty();
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        assertThat(released.body().get("state").asText()).isEqualTo("released");
        assertThat(audited("chat.released")).isEqualTo(1);
    }

    @Test
    void another_units_token_cannot_release_a_chat() {
        long other = app.unit("Chi bộ khu Lạc Thanh");
        long chat = app.localChat(cell, "dong-tam");
        String token = app.api.post("/api/v1/units/" + other + "/tokens", Map.of("role", "secretary")).body().get("token").asText();

        assertThat(app.api.as(token).post("/api/v1/units/" + cell + "/chats/" + chat + "/release", "").status()).isEqualTo(403);
        assertThat(app.api.as(token).post("/api/v1/units/" + other + "/chats/" + chat + "/release", "").status()).isEqualTo(404);
    }

    @Test
    void the_unit_page_unlinks_an_account_hands_out_a_personal_code_releases_a_chat_and_rotates_the_calendar() {
        long hung = app.memberAs(cell, "Nguyễn Văn Hùng", "secretary");
        long minh = app.member(cell, "Lê Văn Minh", "minh");
        long chat = app.localChat(cell, "dong-tam");
        String feed = app.api.get("/api/v1/units/" + cell).body().get("calendarUrl").asText();
        WebClient browser = signedIn(hung);
        WebClient.Page page = browser.get("/units/" + cell);
        assertThat(page.body()).contains("data-testid=\"account-unlink-" + minh + "-local\"", "do bí thư nhập");

        WebClient.Page unlinked = browser.post("/units/" + cell + "/members/" + minh + "/accounts/local/unlink", Map.of("csrf", page.csrf()));
        WebClient.Page code = browser.post("/units/" + cell + "/members/" + minh + "/link-code", Map.of("csrf", page.csrf()));
        WebClient.Page released = browser.post("/units/" + cell + "/chats/" + chat + "/release", Map.of("csrf", page.csrf()));
        WebClient.Page rotated = browser.post("/units/" + cell + "/calendar/rotate", Map.of("csrf", page.csrf()));
        WebClient.Page forged = browser.post("/units/" + cell + "/calendar/rotate", Map.of("csrf", "wrong"));

        assertThat(unlinked.status()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/units/" + cell + "/members/" + minh + "/accounts").body()).isEmpty();
        assertThat(code.body()).containsPattern("Mã cá nhân của Lê Văn Minh: [A-Z2-9]{8}");
        assertThat(released.status()).isEqualTo(200);
        assertThat(app.api.get("/api/v1/units/" + cell + "/chats").body().get(0).get("state").asText()).isEqualTo("released");
        assertThat(rotated.body()).contains("địa chỉ mới").doesNotContain(feed);
        assertThat(forged.status()).isEqualTo(403);
    }

    @Test
    void another_cells_secretary_gets_403_from_each_control() {
        long other = app.unit("Chi bộ khu Lạc Thanh");
        long binh = app.memberAs(other, "Phạm Văn Bình", "secretary");
        long minh = app.member(cell, "Lê Văn Minh", "minh");
        long chat = app.localChat(cell, "dong-tam");
        JsonNode link = app.api.post("/api/v1/units/" + other + "/members/" + binh + "/login-link", "").body();
        WebClient stranger = new WebClient("http://localhost:" + app.convene.port());
        stranger.signIn(link.get("url").asText());
        String csrf = stranger.get("/units/" + other).csrf();

        assertThat(stranger.post("/units/" + cell + "/members/" + minh + "/accounts/local/unlink", Map.of("csrf", csrf)).status()).isEqualTo(403);
        assertThat(stranger.post("/units/" + cell + "/members/" + minh + "/link-code", Map.of("csrf", csrf)).status()).isEqualTo(403);
        assertThat(stranger.post("/units/" + cell + "/chats/" + chat + "/release", Map.of("csrf", csrf)).status()).isEqualTo(403);
        assertThat(stranger.post("/units/" + other + "/chats/" + chat + "/release", Map.of("csrf", csrf)).status()).isEqualTo(404);
        assertThat(stranger.post("/units/" + cell + "/calendar/rotate", Map.of("csrf", csrf)).status()).isEqualTo(403);
        assertThat(app.api.get("/api/v1/units/" + cell + "/members/" + minh + "/accounts").body()).hasSize(1);
    }

    void say(String chatId, String text) {
        Http.Reply r = app.api.post("/api/v1/local/chats/" + chatId + "/say", Map.of("userId", "minh", "userName", "Minh", "text", text));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    WebClient signedIn(long memberId) {
        JsonNode link = app.api.post("/api/v1/units/" + cell + "/members/" + memberId + "/login-link", "").body();
        WebClient browser = new WebClient("http://localhost:" + app.convene.port());
        assertThat(browser.signIn(link.get("url").asText()).status()).isEqualTo(303);
        return browser;
    }
}
