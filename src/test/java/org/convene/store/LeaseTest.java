package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.convene.store.Lease.Holding;
import org.convene.support.MutableClock;
import org.convene.support.TestConvene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node at a time: two nodes' leases on one real database, time moved by the clock. */
class LeaseTest {
    static final Duration TTL = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    Database db;
    MutableClock clock = new MutableClock(TestConvene.START);

    @BeforeEach
    void setUp() {
        db = Database.sqlite(dir.resolve("convene.db"));
        db.migrate();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Lease node(String name) {
        return new Leases(db.jdbi(), clock, name, false, TTL).lease("dispatcher");
    }

    @Test
    void one_node_holds_it_and_another_takes_it_only_once_it_has_run_out() {
        Lease a = node("a");
        Lease b = node("b");
        assertThat(a.hold()).isEqualTo(Holding.TAKEN);
        assertThat(b.hold()).isEqualTo(Holding.ELSEWHERE);
        assertThat(a.holder()).contains("a");

        // a renews while alive: b still cannot take it long after the first lease would have run out
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(6));
            assertThat(a.hold()).isEqualTo(Holding.KEPT);
            assertThat(b.hold()).isEqualTo(Holding.ELSEWHERE);
        }

        // a stops renewing (a crash): b takes it once it has run out, and not before
        clock.advance(TTL.minusSeconds(1));
        assertThat(b.hold()).isEqualTo(Holding.ELSEWHERE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.hold()).as("a node standing by asks again only every eighth of the lease's life").isEqualTo(Holding.ELSEWHERE);
        clock.advance(TTL.dividedBy(8));
        assertThat(b.hold()).isEqualTo(Holding.TAKEN);
        assertThat(b.isHeld()).isTrue();

        // a comes back from its stall: it finds the lease gone and stops
        assertThat(a.isHeld()).isFalse();
        assertThat(a.hold()).isEqualTo(Holding.ELSEWHERE);
        assertThat(a.holder()).contains("b");
    }

    @Test
    void a_holder_that_stalls_past_its_lease_learns_it_lost_it_at_its_next_renewal() {
        Lease a = node("a");
        Lease b = node("b");
        a.hold();
        clock.advance(TTL.plusSeconds(1));
        assertThat(b.hold()).isEqualTo(Holding.TAKEN);
        assertThat(a.hold()).as("a's renewal finds b holding it").isEqualTo(Holding.ELSEWHERE);
        assertThat(b.hold()).isEqualTo(Holding.KEPT);
    }

    @Test
    void a_clean_stop_hands_the_lease_over_at_once() {
        Lease a = node("a");
        Lease b = node("b");
        a.hold();
        assertThat(b.hold()).isEqualTo(Holding.ELSEWHERE);
        a.release();
        assertThat(a.isHeld()).isFalse();
        assertThat(a.holder()).isEmpty();
        clock.advance(TTL.dividedBy(8));
        assertThat(b.hold()).isEqualTo(Holding.TAKEN);
    }

    @Test
    void a_node_alone_on_its_database_takes_the_lease_at_start_from_its_own_previous_run() {
        Lease crashed = node("run-1");
        crashed.hold();
        Lease restarted = new Leases(db.jdbi(), clock, "run-2", true, TTL).lease("dispatcher");
        assertThat(restarted.hold()).as("SQLite: no other node can hold it, so no waiting for the old lease").isEqualTo(Holding.TAKEN);
        assertThat(restarted.holder()).contains("run-2");
    }

    @Test
    void the_leases_held_are_listed_with_their_holders() {
        Leases a = new Leases(db.jdbi(), clock, "a", false, TTL);
        Leases b = new Leases(db.jdbi(), clock, "b", false, TTL);
        a.lease("dispatcher").hold();
        b.lease("telegram-polling:1").hold();
        assertThat(a.held()).extracting(Leases.Held::name, Leases.Held::holder)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dispatcher", "a"), org.assertj.core.groups.Tuple.tuple("telegram-polling:1", "b"));
        clock.advance(TTL);
        assertThat(a.held()).as("run out").isEmpty();
    }
}
