package org.convene.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers, few transactions: each caller returns only once its work is committed, and a failing piece fails alone. */
class GroupCommitTest {
    @TempDir
    Path dir;
    Database db;
    GroupCommit commits;

    @BeforeEach
    void setUp() {
        db = Database.sqlite(dir.resolve("convene.db"));
        db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)"));
        commits = new GroupCommit(db.jdbi(), "test-writer", 64);
    }

    @AfterEach
    void tearDown() {
        commits.close();
        db.close();
    }

    private long rows() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t").mapTo(Long.class).one());
    }

    @Test
    void forty_writers_each_see_their_row_committed_when_they_return() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int n = i;
            done.add(pool.submit(() -> {
                commits.inTransaction(h -> h.execute("INSERT INTO t (n) VALUES (?)", n));
                // committed: another connection sees it at once
                return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t WHERE n = :n").bind("n", n).mapTo(Integer.class).one()) == 1;
            }));
        }
        for (Future<Boolean> f : done) assertThat(f.get()).isTrue();
        pool.shutdown();
        assertThat(rows()).isEqualTo(2_000);
    }

    @Test
    void a_piece_that_fails_is_rolled_back_alone_and_its_caller_gets_the_exception() {
        commits.inTransaction(h -> h.execute("INSERT INTO t (n) VALUES (1)"));
        assertThatThrownBy(() -> commits.inTransaction(h -> {
            h.execute("INSERT INTO t (n) VALUES (2)");
            return h.execute("INSERT INTO t (n) VALUES (1)"); // duplicate key
        })).hasMessageContaining("UNIQUE");
        commits.inTransaction(h -> h.execute("INSERT INTO t (n) VALUES (3)"));
        List<Integer> kept = db.jdbi().withHandle(h -> h.createQuery("SELECT n FROM t ORDER BY n").mapTo(Integer.class).list());
        assertThat(kept).containsExactly(1, 3);
    }

    @Test
    void work_handed_in_from_the_writer_itself_joins_its_transaction() {
        int inner = commits.inTransaction(h -> commits.inTransaction(h2 -> h2.execute("INSERT INTO t (n) VALUES (7)")));
        assertThat(inner).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
    }
}
