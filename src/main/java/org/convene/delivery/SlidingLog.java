package org.convene.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The instants of the last {@code capacity} sends, in order: a sliding window that allows at most
 * {@code capacity} sends in any {@code window}, counted the way the platform counts them (a strict
 * reading of "30 a second": no one-second window may hold a 31st, whatever happened before it).
 * Not thread-safe; its owner synchronizes.
 */
final class SlidingLog {
    private final int capacity;
    private Duration window;
    private final ArrayDeque<Instant> sends = new ArrayDeque<>();

    SlidingLog(int capacity, Duration window) {
        this.capacity = Math.max(1, capacity);
        this.window = window;
    }

    /** A new length for the window (a wider margin after the platform refused a send). */
    void window(Duration length) {
        this.window = length;
    }

    /** The earliest instant, not before {@code at}, at which one more send stays within the window. */
    Instant freeAt(Instant at) {
        if (sends.size() < capacity) return at;
        // the send that must leave the window first: the capacity-th most recent
        Instant leaves = sends.peekFirst().plus(window);
        return leaves.isAfter(at) ? leaves : at;
    }

    /** Records a send at {@code at}, keeping the log in order (a send recorded late, e.g. from the database, finds its place). */
    void add(Instant at) {
        if (sends.isEmpty() || !sends.peekLast().isAfter(at)) {
            sends.addLast(at);
        } else {
            ArrayDeque<Instant> later = new ArrayDeque<>();
            while (!sends.isEmpty() && sends.peekLast().isAfter(at)) later.addFirst(sends.pollLast());
            sends.addLast(at);
            sends.addAll(later);
        }
        while (sends.size() > capacity) sends.pollFirst();
    }

    /** Forgets one send recorded at {@code at} that never happened (its claim was given back). */
    void remove(Instant at) {
        Iterator<Instant> newestFirst = sends.descendingIterator();
        while (newestFirst.hasNext()) {
            if (newestFirst.next().equals(at)) {
                newestFirst.remove();
                return;
            }
        }
    }

    /** True when no send of the log falls within the window before {@code at}. */
    boolean quietBefore(Instant at) {
        return sends.isEmpty() || !sends.peekLast().plus(window).isAfter(at);
    }
}
