package org.convene.store;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * SQLite's transactions, queued in arrival order in the JVM. SQLite has one writer, and every Convene
 * transaction is a write transaction ({@code BEGIN IMMEDIATE}). Left to SQLite, a transaction that finds
 * the lock taken sleeps in its busy handler (1, 2, 5 … 100 ms) and retries, while a thread that runs one
 * transaction after another takes the lock again the moment it frees it: the dispatcher starved for
 * seconds while a wave's 4,800 reminders were fired. A fair lock taken before {@code BEGIN} hands the
 * writer's turn to whoever has waited longest instead.
 *
 * <p>Nothing may wait, inside a transaction, for another thread's transaction; SQLite would deadlock on
 * that already (its lock is held until commit).
 */
final class SerializedTransactions implements TransactionHandler {
    private final TransactionHandler delegate;
    private final ReentrantLock writer;

    /** @param writer the writer's turn, fair, shared with whatever else writes to this database (Quartz) */
    SerializedTransactions(TransactionHandler delegate, ReentrantLock writer) {
        this.delegate = delegate;
        this.writer = writer;
    }

    @Override
    public TransactionHandler specialize(Handle handle) throws SQLException {
        return new SerializedTransactions(delegate.specialize(handle), writer);
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
        writer.lock();
        try {
            return delegate.inTransaction(handle, callback);
        } finally {
            // a BEGIN that failed (SQLITE_BUSY) is rolled back through rollback(), which already gave the turn back
            if (writer.isHeldByCurrentThread()) writer.unlock();
        }
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
        writer.lock();
        try {
            return delegate.inTransaction(handle, level, callback);
        } finally {
            if (writer.isHeldByCurrentThread()) writer.unlock();
        }
    }

    /** A transaction begun by hand holds the writer's turn until it commits or rolls back. */
    @Override
    public void begin(Handle handle) {
        writer.lock();
        try {
            delegate.begin(handle);
        } catch (RuntimeException e) {
            writer.unlock();
            throw e;
        }
    }

    @Override
    public void commit(Handle handle) {
        try {
            delegate.commit(handle);
        } finally {
            if (writer.isHeldByCurrentThread()) writer.unlock();
        }
    }

    @Override
    public void rollback(Handle handle) {
        try {
            delegate.rollback(handle);
        } finally {
            if (writer.isHeldByCurrentThread()) writer.unlock();
        }
    }

    @Override
    public boolean isInTransaction(Handle handle) {
        return delegate.isInTransaction(handle);
    }

    @Override
    public void savepoint(Handle handle, String name) {
        delegate.savepoint(handle, name);
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String name) {
        delegate.rollbackToSavepoint(handle, name);
    }

    @Override
    public void releaseSavepoint(Handle handle, String name) {
        delegate.releaseSavepoint(handle, name);
    }
}
