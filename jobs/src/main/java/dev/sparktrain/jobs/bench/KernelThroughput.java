package dev.sparktrain.jobs.bench;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.BatchBuffer;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.driver.modes.WorkerStep;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The single-process training kernel, no Spark: forward + backward + optimizer update of the configured model at
 * the per-worker batch size ({@link WorkerStep}, exactly what a worker runs in the local-step modes), one replica
 * per thread, each with its own parameters, optimizer state and shuffled batches of the real training rows.
 */
public final class KernelThroughput {

    private KernelThroughput() {
    }

    /**
     * Samples per second summed over {@code threads} replicas, after a warm-up of {@link #warmupSeconds}.
     */
    public static double samplesPerSecond(NetworkSpec spec, Optimizer optimizer, DataBlock rows, int batchSize,
                                          long seed, int threads, double seconds) {
        if (rows.rows() < batchSize) {
            throw new IllegalArgumentException("the kernel benchmark needs at least one batch of " + batchSize
                    + " rows, the sample has " + rows.rows());
        }
        return Replicas.throughput(threads, index -> {
            INDArray theta = spec.initialParameters(seed, DataType.FLOAT);
            Network network = new Network(spec, theta);
            int[] order = Shuffle.order(seed, 1, index, rows.rows());
            int batches = rows.rows() / batchSize;
            return new Replicas.Replica() {
                private final BatchBuffer buffer = new BatchBuffer();
                private OptimizerState state = optimizer.init(theta);
                private int step;

                @Override
                public double runUnit() {
                    Batch batch = buffer.gather(rows, order, (step % batches) * batchSize, batchSize);
                    WorkerStep.Outcome outcome = WorkerStep.run(network, optimizer, state, batch,
                            ForwardContext.training(seed + step));
                    if (outcome.finite()) {
                        state = outcome.state();
                    }
                    step++;
                    return batchSize;
                }
            };
        }, warmupSeconds(seconds), seconds);
    }

    /** Half the measuring time, at least 2 s: the JIT and oneDNN's per-shape kernels need it. */
    public static double warmupSeconds(double seconds) {
        return Math.max(2, seconds / 2);
    }
}
