package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.convene.support.Http;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/cluster} on one node with SQLite: it holds its own leases, and only the admin may look. */
class ClusterViewTest {
    @Test
    void a_node_alone_on_sqlite_sends_itself_and_only_the_admin_sees_the_nodes() {
        try (TestConvene app = TestConvene.start()) {
            JsonNode view = app.api.get("/api/v1/cluster").body();
            assertThat(view.get("node").asText()).isEqualTo("sole");
            assertThat(view.get("sharedDatabase").asBoolean()).isFalse();
            assertThat(view.get("leases")).anySatisfy(lease -> {
                assertThat(lease.get("name").asText()).isEqualTo("dispatcher");
                assertThat(lease.get("thisNode").asBoolean()).isTrue();
            });
            assertThat(app.anonymous.get("/metrics").text()).containsPattern("(?m)^convene_dispatcher_sending(\\{[^}]*})? 1\\.0$");

            long unit = app.unit("Chi bộ 1");
            String token = app.api.post("/api/v1/units/" + unit + "/tokens", Map.of("role", "secretary")).body().get("token").asText();
            Http.Reply refused = app.api.as(token).get("/api/v1/cluster");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("forbidden");
            assertThat(app.anonymous.get("/api/v1/cluster").status()).isEqualTo(401);
        }
    }
}
