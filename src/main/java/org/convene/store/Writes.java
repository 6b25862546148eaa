package org.convene.store;

import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** How a piece of write work reaches the database: in a transaction of its own, or in a shared {@link GroupCommit}. */
public interface Writes {
    /** Runs {@code work} in a transaction and returns its result once committed. */
    <T> T inTransaction(Function<Handle, T> work);

    /** Each piece in its own transaction. */
    static Writes direct(Jdbi jdbi) {
        return new Writes() {
            @Override
            public <T> T inTransaction(Function<Handle, T> work) {
                return jdbi.inTransaction(work::apply);
            }
        };
    }
}
