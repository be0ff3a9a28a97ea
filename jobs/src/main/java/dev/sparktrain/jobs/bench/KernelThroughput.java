package dev.sparktrain.jobs.bench;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.inprocess.InProcessSession;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.modes.LocalStepsTask;
import dev.sparktrain.driver.modes.RoundPlan;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Optimizer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The single-process training kernel, no Spark: forward + backward + optimizer update of the configured model at
 * the per-worker batch size, run by exactly the code a worker runs in the local-step modes (an in-process session's
 * worker running {@link LocalStepsTask} rounds of H steps, keeping its optimizer state), one replica per thread, each
 * with its own parameters, optimizer state and shuffled batches of the real training rows. Every round starts from the
 * same parameters, as a worker's does from the driver's; there is no driver update between rounds.
 */
public final class KernelThroughput {

    private KernelThroughput() {
    }

    /**
     * Samples per second summed over {@code threads} replicas, after a warm-up of {@link #warmupSeconds}; a unit of
     * work is a round of {@code localSteps} steps.
     */
    public static double samplesPerSecond(NetworkSpec spec, Optimizer optimizer, DataBlock rows, int batchSize,
                                          int localSteps, long seed, int threads, double seconds) {
        if (rows.rows() < batchSize) {
            throw new IllegalArgumentException("the kernel benchmark needs at least one batch of " + batchSize
                    + " rows, the sample has " + rows.rows());
        }
        LocalStepsTask task = new LocalStepsTask(spec, optimizer, InnerStatePolicy.KEEP, seed, localSteps, batchSize,
                true, WirePrecision.FLOAT32);
        int rounds = Math.max(1, rows.rows() / batchSize / localSteps);
        return Replicas.throughput(threads, index -> {
            ParameterSnapshot params = new ParameterSnapshot(0, spec.initialParameters(seed, DataType.FLOAT)
                    .toFloatVector());
            // One worker, on the replica's own thread.
            InProcessSession session = new InProcessSession(List.of(rows), null, Map.of());
            return new Replicas.Replica() {
                private int round;

                @Override
                public double runUnit() {
                    RoundSums result = session.run(new RoundPlan(1, round++ % rounds, params, null), task);
                    long samples = result.count();
                    result.release();
                    return samples;
                }
            };
        }, warmupSeconds(seconds), seconds);
    }

    /** Half the measuring time, at least 2 s: the JIT and oneDNN's per-shape kernels need it. */
    public static double warmupSeconds(double seconds) {
        return Math.max(2, seconds / 2);
    }
}
