package org.convene.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections for Quartz on SQLite that take the writer's turn ({@link SerializedTransactions}) from
 * checkout to close. Quartz opens every connection with auto-commit off, which sqlite-jdbc turns into
 * {@code BEGIN IMMEDIATE} (and again after each commit), so each of its connections holds SQLite's one
 * write lock for as long as it is out. Left outside the JVM's queue, Quartz and Convene's own
 * transactions met in SQLite's busy handler, which sleeps and retries unfairly: with 10,000 reminders
 * over five minutes, writers starved for the whole 10 s busy timeout and firings failed (the lag
 * benchmark, p99 73 s). In the queue, each waits its turn, in arrival order.
 *
 * <p>Quartz uses a connection for one short job-store transaction and never runs Convene's code while
 * it holds one, so nothing waits inside its turn for another turn.
 */
final class WriterTurnDataSource implements DataSource {
    private final DataSource pool;
    private final ReentrantLock writer;

    WriterTurnDataSource(DataSource pool, ReentrantLock writer) {
        this.pool = pool;
        this.writer = writer;
    }

    @Override
    public Connection getConnection() throws SQLException {
        // the connection first, as Jdbi's transactions do: a turn held while waiting for the pool could wait on
        // connections held by threads that wait for the turn
        Connection connection = pool.getConnection();
        writer.lock();
        return turnUntilClosed(connection);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return getConnection();
    }

    /** The connection, which gives the turn back when it is closed (once, on the thread that took it). */
    private Connection turnUntilClosed(Connection connection) {
        AtomicBoolean closed = new AtomicBoolean();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                try {
                    connection.close();
                } finally {
                    if (closed.compareAndSet(false, true) && writer.isHeldByCurrentThread()) writer.unlock();
                }
                return null;
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
