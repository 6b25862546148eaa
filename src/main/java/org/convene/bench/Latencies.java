package org.convene.bench;

import java.util.Arrays;

/** Round-trip times in nanoseconds, kept whole so that percentiles are exact. */
final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    synchronized void add(long value) {
        if (size == nanos.length) nanos = Arrays.copyOf(nanos, size * 2);
        nanos[size++] = value;
    }

    synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0–100) in milliseconds, nearest-rank. */
    synchronized double percentileMillis(double p) {
        if (size == 0) return 0;
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))] / 1e6;
    }

    synchronized double maxMillis() {
        long max = 0;
        for (int i = 0; i < size; i++) max = Math.max(max, nanos[i]);
        return max / 1e6;
    }
}
