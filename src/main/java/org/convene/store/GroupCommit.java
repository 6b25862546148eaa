package org.convene.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many small write transactions become one. Callers hand their work to a single writer
 * thread and wait until it is committed; the writer runs whatever has queued up meanwhile in one
 * transaction, each piece inside its own savepoint (a piece that fails is rolled back alone and its
 * caller gets the exception; the others commit). SQLite commits a handful of transactions per
 * millisecond at most, but writes tens of thousands of rows per second inside one; a caller that is
 * answered has its work committed, so nothing acknowledged is lost.
 */
public final class GroupCommit implements Writes, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Work<T>(Function<Handle, T> body, CompletableFuture<T> done) {}

    private final Jdbi jdbi;
    private final int maxBatch;
    private final BlockingQueue<Work<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    /** @param maxBatch the most pieces in one transaction (a bound on how long one commit keeps others waiting) */
    public GroupCommit(Jdbi jdbi, String name, int maxBatch) {
        this.jdbi = jdbi;
        this.maxBatch = maxBatch;
        this.writer = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /**
     * Runs {@code body} in a shared transaction and returns its result once that transaction committed.
     * A body that fails is rolled back alone; callbacks it registered with {@code afterCommit} may still
     * run with the others' commit, so they must be harmless nudges (waking the dispatcher).
     */
    @Override
    public <T> T inTransaction(Function<Handle, T> body) {
        // work handed in by the writer itself joins the transaction it is in
        if (Thread.currentThread() == writer) return jdbi.inTransaction(body::apply);
        if (!running) throw new IllegalStateException("the group commit has stopped");
        CompletableFuture<T> done = new CompletableFuture<>();
        queue.add(new Work<>(body, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Work<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Work<?> first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        for (Work<?> w; (w = queue.poll()) != null; ) w.done().completeExceptionally(new IllegalStateException("the group commit has stopped"));
    }

    /** One transaction for the batch; results are handed out only after the commit. */
    private void commit(List<Work<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            jdbi.useTransaction(h -> {
                results.clear();
                for (int i = 0; i < batch.size(); i++) results.add(runPiece(h, batch.get(i), i));
            });
        } catch (RuntimeException e) {
            // the commit itself failed: nobody's work is in
            log.warn("a group commit of {} pieces failed", batch.size(), e);
            for (Work<?> w : batch) w.done().completeExceptionally(e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
    }

    private static final Object FAILED = new Object();

    private static Object runPiece(Handle h, Work<?> work, int index) {
        String savepoint = "piece" + index;
        h.savepoint(savepoint);
        try {
            Object result = work.body().apply(h);
            h.releaseSavepoint(savepoint);
            return result;
        } catch (RuntimeException | Error e) {
            // Jdbi forgets a savepoint it rolled back to; the transaction goes on without it
            h.rollbackToSavepoint(savepoint);
            work.done().completeExceptionally(e);
            return FAILED;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Work<T> work, Object result) {
        if (result != FAILED) work.done().complete((T) result);
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
