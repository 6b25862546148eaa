package org.convene.chat;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a platform's long-polling loop and what every such loop needs: a running flag, waits that
 * end early at a stop (never by interrupting, which would break a handler's database or HTTP work), and a
 * back-off that doubles after each failure up to a minute and starts again after a success.
 */
public final class PollingThread {
    private static final Logger log = LoggerFactory.getLogger(PollingThread.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(1);

    private final String name;
    private volatile boolean running;
    private Thread thread;
    private Duration backoff = FIRST_BACKOFF;

    public PollingThread(String name) {
        this.name = name;
    }

    /** Runs {@code loop} on a virtual thread; the loop goes on while {@link #running()}. */
    public void start(Runnable loop) {
        running = true;
        thread = Thread.ofVirtual().name(name).start(loop);
    }

    public boolean running() {
        return running;
    }

    /** The wait after a failure: one second, then twice the last, at most a minute. */
    public Duration nextBackoff() {
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
        return wait;
    }

    /** A round went well: the next failure waits one second again. */
    public void succeeded() {
        backoff = FIRST_BACKOFF;
    }

    /** Waits, or less when stopped. */
    public void pause(Duration wait) throws InterruptedException {
        synchronized (this) {
            if (running) wait(Math.max(1, wait.toMillis()));
        }
    }

    /**
     * Stops the loop: a pause ends, {@code cancelCall} cancels the call that is waiting (a long poll), and the
     * thread is given five seconds to finish what it handles.
     */
    public void stop(Runnable cancelCall) {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        cancelCall.run();
        if (thread == null) return;
        try {
            if (!thread.join(Duration.ofSeconds(5))) log.warn("{} did not stop within 5 s", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
