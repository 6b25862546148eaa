package org.convene.chat.zalo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.convene.store.Database;
import org.convene.store.Lease;
import org.convene.store.Settings;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes sharing one database and one OA: the single-use refresh token is spent by one of them only. */
class ZaloTokensTest {
    @TempDir
    Path dir;

    final FakeZaloApi fake = new FakeZaloApi();
    final OkHttpClient http = new OkHttpClient();
    MutableClock clock;
    Database db;
    ZaloTokens nodeA;
    ZaloTokens nodeB;

    @BeforeEach
    void twoNodes() {
        clock = new MutableClock(TestConvene.START);
        db = Database.sqlite(dir.resolve("convene.db"));
        db.migrate();
        nodeA = node("node-a");
        nodeB = node("node-b");
    }

    private ZaloTokens node(String name) {
        ZaloConfig config = new ZaloConfig(FakeZaloApi.APP_ID, FakeZaloApi.APP_SECRET, FakeZaloApi.OA_SECRET, FakeZaloApi.FIRST_REFRESH_TOKEN,
                fake.url(), fake.url(), 5);
        Lease lease = new Lease(db.jdbi(), clock, "zalo-token:" + FakeZaloApi.APP_ID, name, ZaloTokens.LEASE_TIME, false);
        return new ZaloTokens(new ZaloClient(http, fake.url(), fake.url()), config, new Settings(db.jdbi(), clock), lease, clock);
    }

    @AfterEach
    void stop() {
        db.close();
        fake.close();
    }

    private static String token(ZaloTokens.Access access) {
        assertThat(access).isInstanceOf(ZaloTokens.Access.Token.class);
        return ((ZaloTokens.Access.Token) access).value();
    }

    @Test
    void the_second_node_uses_the_token_the_first_stored_without_refreshing() {
        assertThat(token(nodeA.current())).isEqualTo("at-1");
        assertThat(token(nodeB.current())).isEqualTo("at-1");

        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN);
    }

    @Test
    void both_nodes_told_the_token_is_invalid_spend_the_refresh_token_once() {
        token(nodeA.current());
        fake.expireAccessTokens();
        // node A's hold on the refresh lease has run out before the token goes bad
        clock.advance(ZaloTokens.LEASE_TIME.plus(Duration.ofSeconds(1)));

        String fromA = token(nodeA.replace("at-1"));
        String fromB = token(nodeB.replace("at-1"));

        assertThat(fromA).isEqualTo("at-2");
        assertThat(fromB).isEqualTo("at-2");
        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN, "rt-1");
    }

    @Test
    void a_node_that_cannot_take_the_refresh_lease_does_not_refresh() {
        token(nodeA.current());
        fake.expireAccessTokens();

        // node A still holds the lease from its refresh; node B must not spend the refresh token meanwhile
        ZaloTokens.Access fromB = nodeB.replace("at-1");

        assertThat(fromB).isInstanceOf(ZaloTokens.Access.None.class);
        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN);
    }

    @Test
    void a_refresh_token_a_month_old_is_renewed_ahead_by_one_node_and_its_age_starts_again() {
        token(nodeA.current());
        clock.advance(Duration.ofDays(29));
        assertThat(nodeA.refreshAhead()).isFalse();
        assertThat(nodeB.refreshTokenAge()).contains(Duration.ofDays(29));

        clock.advance(Duration.ofDays(2));

        assertThat(nodeA.refreshAhead()).isTrue();
        assertThat(nodeB.refreshAhead()).isFalse();
        assertThat(fake.refreshes()).containsExactly(FakeZaloApi.FIRST_REFRESH_TOKEN, "rt-1");
        assertThat(nodeB.refreshTokenAge()).contains(Duration.ZERO);
    }

    @Test
    void a_configured_refresh_token_never_used_is_left_for_the_first_send() {
        clock.advance(Duration.ofDays(40));

        assertThat(nodeA.refreshAhead()).isFalse();
        assertThat(nodeA.refreshTokenAge()).isEmpty();
        assertThat(fake.refreshes()).isEmpty();
    }
}
