package org.convene.schedule;

import java.sql.Connection;
import org.quartz.impl.jdbcjobstore.Semaphore;

/**
 * Quartz's locks, for a job store whose every connection holds SQLite's writer turn from checkout to close
 * ({@code Database.transactionalDataSource()}): those turns already let one Quartz transaction run at a
 * time, so a second lock in the JVM adds nothing but a way to deadlock. Quartz's misfire handler takes its
 * connection before its lock, and the other job-store calls their lock before their connection: with both
 * held for real, the misfire handler held the turn while waiting for the lock, and a worker held the lock
 * while waiting for the turn (found in the lag benchmark with thousands of late triggers).
 */
public final class TurnPerConnection implements Semaphore {
    @Override
    public boolean obtainLock(Connection conn, String lockName) {
        return true;
    }

    @Override
    public void releaseLock(String lockName) {
        // the connection's close gives the turn back
    }

    @Override
    public boolean requiresConnection() {
        return false;
    }
}
