package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import java.util.Map;

/**
 * A block of rounds on a transport's workers (Spark jobs, a channel, or threads of this process): one worker per data
 * partition, each holding what it carries from round to round. Opened with the carries the workers start from; ends
 * with {@link #finish}, which hands back what they carry then, or, after a failure, with {@link #close} alone.
 */
public interface RoundSession extends AutoCloseable {

    /**
     * Runs {@code task} with {@code plan} on every worker and merges the results in partition order, whatever order
     * they finish in: float sums are not associative, so this is what makes a round bitwise reproducible. Throws
     * {@code WorkerLostException} when a worker was lost mid-block (the block must run again from its start).
     */
    RoundSums run(RoundPlan plan, RoundTask task);

    /**
     * As {@link #run(RoundPlan, RoundTask)}, and runs {@code whileWorkersRun} on the calling thread once the task has
     * gone out, before the results are merged: the driver's work that no worker waits for. Sessions that cannot tell
     * when the task has gone out (a Spark job per round) run it first.
     */
    default RoundSums run(RoundPlan plan, RoundTask task, Runnable whileWorkersRun) {
        whileWorkersRun.run();
        return run(plan, task);
    }

    /**
     * Whether {@link #run(RoundPlan, RoundTask, Runnable)} runs the driver's work while the workers compute; when not,
     * a caller gains nothing by handing it work for the next round, and does it at once.
     */
    default boolean overlapsDriverWork() {
        return false;
    }

    /** Ends the block: what each worker carries now, by partition (none when the session was opened without). */
    Map<Integer, InnerState> finish();

    /** Releases the block; a block not {@link #finish}ed is abandoned (its workers' carries are lost). */
    @Override
    void close();
}
