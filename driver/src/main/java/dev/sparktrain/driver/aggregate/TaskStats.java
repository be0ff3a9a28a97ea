package dev.sparktrain.driver.aggregate;

/**
 * What the tasks of one round cost, merged like their results: the slowest task's time to read the broadcast
 * parameters and to compute, the summed compute time and the bytes of payload they returned. The driver sets the
 * job's wall time against the slowest task to see what Spark itself (scheduling, shipping, merging) took.
 */
public final class TaskStats implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private long maxFetchNanos;
    private long maxComputeNanos;
    private long totalComputeNanos;
    private long resultBytes;
    private int tasks;

    /** Records one task: nanoseconds to obtain the broadcast values, to compute, and its payload's size. */
    public void record(long fetchNanos, long computeNanos, long payloadBytes) {
        maxFetchNanos = Math.max(maxFetchNanos, fetchNanos);
        maxComputeNanos = Math.max(maxComputeNanos, computeNanos);
        totalComputeNanos += computeNanos;
        resultBytes += payloadBytes;
        tasks++;
    }

    /** Adds {@code other}'s tasks into these stats in place. */
    public void merge(TaskStats other) {
        maxFetchNanos = Math.max(maxFetchNanos, other.maxFetchNanos);
        maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
        totalComputeNanos += other.totalComputeNanos;
        resultBytes += other.resultBytes;
        tasks += other.tasks;
    }

    /** The stats as sent over a link: max fetch, max compute and total compute nanoseconds, result bytes, tasks. */
    public long[] counters() {
        return new long[] {maxFetchNanos, maxComputeNanos, totalComputeNanos, resultBytes, tasks};
    }

    /** Stats received as {@link #counters}. */
    public static TaskStats of(long[] counters) {
        if (counters.length != 5 || counters[4] < 0 || counters[4] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected 5 task counters with a task count in [0, 2^31), got "
                    + java.util.Arrays.toString(counters));
        }
        TaskStats out = new TaskStats();
        out.maxFetchNanos = counters[0];
        out.maxComputeNanos = counters[1];
        out.totalComputeNanos = counters[2];
        out.resultBytes = counters[3];
        out.tasks = (int) counters[4];
        return out;
    }

    public double maxFetchSeconds() {
        return maxFetchNanos / 1e9;
    }

    public double maxComputeSeconds() {
        return maxComputeNanos / 1e9;
    }

    /** The slowest task's fetch plus compute time bounds the round from below; not additive across tasks. */
    public double maxTaskSeconds() {
        return (maxFetchNanos + maxComputeNanos) / 1e9;
    }

    public double totalComputeSeconds() {
        return totalComputeNanos / 1e9;
    }

    public long resultBytes() {
        return resultBytes;
    }

    public int tasks() {
        return tasks;
    }
}
