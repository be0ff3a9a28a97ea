package dev.sparktrain.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of one thread split by op (e.g. {@code conv2d forward}): each timed section's own time, without the
 * sections nested in it (a residual block's time is its sum, shortcut and activation; its branch's layers count for
 * themselves). Thread CPU time rather than wall time: on a machine shared with other work the wall clock also
 * counts the waits for a core. Used by one thread.
 */
public final class OpTimes {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, Long> selfNanos = new LinkedHashMap<>();
    /** Open sections: {start, time of the sections nested in it so far}. */
    private final Deque<long[]> open = new ArrayDeque<>();
    private boolean recording;

    /** Starts or stops adding sections to the totals (warm-up passes run with recording off). */
    public void recording(boolean on) {
        recording = on;
    }

    public void enter() {
        open.push(new long[] {THREADS.getCurrentThreadCpuTime(), 0});
    }

    public void exit(String op) {
        long[] section = open.pop();
        long total = THREADS.getCurrentThreadCpuTime() - section[0];
        if (!open.isEmpty()) {
            open.peek()[1] += total;
        }
        if (recording) {
            selfNanos.merge(op, total - section[1], Long::sum);
        }
    }

    /** Own CPU nanoseconds per op, in the order the ops were first seen. */
    public Map<String, Long> selfNanos() {
        return new LinkedHashMap<>(selfNanos);
    }
}
