package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.TaskStats;

/**
 * Where a round's time and bytes went. {@code broadcastSeconds}: the driver snapshotting and broadcasting the
 * parameters; {@code jobSeconds}: the Spark job's wall time, of which the slowest task spent {@code fetchSeconds}
 * reading the broadcast and {@code computeSeconds} computing, the rest ({@link #sparkSeconds()}) being Spark's
 * (scheduling, shipping and merging results); {@code driverSeconds}: applying the merged result. Bytes are payload
 * sizes: the arrays broadcast once, and the arrays all tasks returned.
 */
public record RoundCost(double broadcastSeconds, double jobSeconds, double fetchSeconds, double computeSeconds,
                        double driverSeconds, long broadcastBytes, long resultBytes) {

    public static final RoundCost NONE = new RoundCost(0, 0, 0, 0, 0, 0, 0);

    /** The job's time not spent inside the slowest task: scheduling, serialization, result transfer, merges. */
    public double sparkSeconds() {
        return Math.max(0, jobSeconds - fetchSeconds - computeSeconds);
    }

    /** Costs from nanosecond marks taken around a round's phases and the tasks' merged stats. */
    static RoundCost measured(long start, long broadcast, long job, long end, TaskStats tasks, long broadcastBytes) {
        return new RoundCost((broadcast - start) / 1e9, (job - broadcast) / 1e9, tasks.maxFetchSeconds(),
                tasks.maxComputeSeconds(), (end - job) / 1e9, broadcastBytes, tasks.resultBytes());
    }
}
