package org.convene.chat.zalobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convene.support.TestConvene.await;

import java.util.Map;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Polling mode: no webhook is set, one poller fetches events by getUpdates and a repeated event is handled once. */
class ZaloBotPollingTest {
    static final String GROUP = "6ede9afa66b88fe6d6a9";
    static final String LAN = "e4ea2cd5189df1c3a88c";

    final FakeZaloBotApi fake = new FakeZaloBotApi();
    TestConvene app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        fake.close();
    }

    @Test
    void events_fetched_by_long_polling_link_the_group_and_a_repeated_one_is_handled_once() {
        fake.join(GROUP);
        app = TestConvene.start(Map.of("CONVENE_ZALOBOT_TOKEN", FakeZaloBotApi.TOKEN, "CONVENE_ZALOBOT_API_URL", fake.url(),
                "CONVENE_ZALOBOT_MODE", "polling"));
        long unit = app.unit("Chi bộ thôn Đồng Tâm");
        String code = app.api.post("/api/v1/units/" + unit + "/link-codes", Map.of()).body().get("code").asText();
        var link = FakeZaloBotApi.textEvent(GROUP, true, LAN, "Lan", "/link " + code, "0000000000000000000a");

        fake.queue(FakeZaloBotApi.otherEvent("message.unsupported.received", GROUP, LAN, "00000000000000000009"));
        fake.queue(link);
        fake.queue(link);

        await("both copies fetched and the group linked", () -> fake.queued() == 0
                && app.api.get("/api/v1/units/" + unit + "/chats").body().size() == 1);
        await("the confirmation", () -> !fake.sent(GROUP).isEmpty());
        assertThat(fake.webhookUrl()).isEmpty();
        assertThat(fake.calls()).contains("deleteWebhook", "getUpdates").doesNotContain("setWebhook");
        assertThat(app.api.get("/api/v1/units/" + unit + "/chats").body().get(0).get("platform").asText()).isEqualTo("zalobot");
        // the second copy was dropped by its message id: one confirmation, not two
        await("the second copy passed over", () -> app.convene.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM inbound_updates WHERE platform = 'zalobot'").mapTo(Integer.class).one()) == 1);
        assertThat(fake.sent(GROUP)).hasSize(1);
    }
}
