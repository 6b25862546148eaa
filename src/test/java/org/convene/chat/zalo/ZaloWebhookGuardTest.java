package org.convene.chat.zalo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Zalo webhook reads no more than 64 KB, trusts only its own app's events, and logs a flood of refusals once a minute. */
class ZaloWebhookGuardTest {
    static final String GROUP = "f1e2d3c4b5a69788";
    static final String LAN = "8412345678901234567";

    final FakeZaloApi fake = new FakeZaloApi();
    TestConvene app;
    long unit;

    @BeforeEach
    void start() {
        app = TestConvene.start(fake.env());
        fake.group(GROUP);
        unit = app.unit("Chi bộ thôn Đồng Tâm");
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    private String webhook() {
        return "http://localhost:" + app.convene.port() + "/webhooks/zalo";
    }

    private String linkCode() {
        return app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
    }

    private int chats() {
        return app.api.get("/api/v1/units/" + unit + "/chats").body().size();
    }

    @Test
    void a_body_over_64_kb_is_refused_with_413_before_it_is_parsed() {
        ObjectNode event = FakeZaloApi.groupText(GROUP, LAN, "msg-big", "/link " + linkCode(), app.clock.instant());
        event.put("padding", "x".repeat(70 * 1024));

        FakeZaloApi.Pushed pushed = fake.push(webhook(), event);

        assertThat(pushed.status()).isEqualTo(413);
        assertThat(chats()).isZero();
    }

    @Test
    void an_event_signed_for_another_app_id_is_refused_and_changes_nothing() {
        ObjectNode event = FakeZaloApi.groupText(GROUP, LAN, "msg-1", "/link " + linkCode(), app.clock.instant());
        event.put("app_id", "2718281828459045235");

        FakeZaloApi.Pushed pushed = fake.push(webhook(), event); // signed with the OA secret for that app_id

        assertThat(pushed.status()).isEqualTo(401);
        assertThat(pushed.body()).contains("app_id");
        assertThat(chats()).isZero();
        assertThat(fake.push(webhook(), FakeZaloApi.groupText(GROUP, LAN, "msg-2", "/link " + linkCode(), app.clock.instant())).status())
                .as("our own app's event still goes through").isEqualTo(200);
        assertThat(chats()).isEqualTo(1);
    }

    @Test
    void refused_requests_are_logged_at_most_once_a_minute_with_their_count() {
        String body = FakeZaloApi.groupText(GROUP, LAN, "msg-x", "có", app.clock.instant()).toString();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 30; i++) assertThat(fake.push(webhook(), body, "mac=00").status()).isEqualTo(401);
            app.clock.advance(Duration.ofSeconds(61));
            assertThat(fake.push(webhook(), body, "mac=00").status()).isEqualTo(401);
        } finally {
            System.setErr(err);
        }
        var lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("zalo webhook refused")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("refused 30 request(s)");
    }
}
