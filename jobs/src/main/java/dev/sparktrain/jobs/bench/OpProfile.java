package dev.sparktrain.jobs.bench;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.BatchBuffer;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Where a training step's time goes, by op: the kernel's step (forward, backward, optimizer update at the per-worker
 * batch size) on one thread, every layer timed on its own ({@link TimedLayer}); "loss" is what the network's
 * forward + backward takes besides its layers (the loss, its gradient, the penalty), "optimizer" the update.
 * Warm-up and measurement run for their seconds of the thread's CPU time.
 */
public final class OpProfile {

    private OpProfile() {
    }

    /**
     * Own CPU nanoseconds per op over {@code seconds} of the thread's CPU time in steps, after a warm-up of
     * {@code warmupSeconds} (on the CPU and the wall clock); and the steps taken.
     */
    public record Result(Map<String, Long> selfNanos, long steps) {
    }

    public static Result measure(NetworkSpec spec, Optimizer optimizer, DataBlock rows, int batchSize, long seed,
                                 double warmupSeconds, double seconds) {
        OpTimes times = new OpTimes();
        Network network = new Network(TimedLayer.timed(spec, times), spec.initialParameters(seed, DataType.FLOAT));
        OptimizerState state = optimizer.init(network.params());
        int[] order = Shuffle.order(seed, 1, 0, rows.rows());
        int batches = rows.rows() / batchSize;
        BatchBuffer buffer = new BatchBuffer();
        long steps = 0;
        // Warm-up and measuring time both on this thread's CPU clock (the warm-up on the wall clock too), so that a
        // loaded machine gives as many warm steps as a quiet one (Replicas.warmUp).
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long warmupWallEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long warmupCpuEnd = cpu.getCurrentThreadCpuTime() + (long) (warmupSeconds * 1e9);
        long measureCpuEnd = Long.MAX_VALUE;
        while (true) {
            long cpuNow = cpu.getCurrentThreadCpuTime();
            boolean measuring = measureCpuEnd != Long.MAX_VALUE;
            if (!measuring && System.nanoTime() >= warmupWallEnd && cpuNow >= warmupCpuEnd) {
                measuring = true;
                measureCpuEnd = cpuNow + (long) (seconds * 1e9);
            } else if (cpuNow >= measureCpuEnd) {
                break;
            }
            times.recording(measuring);
            Batch batch = buffer.gather(rows, order, (int) (steps % batches) * batchSize, batchSize);
            times.enter();
            network.computeGradient(batch.features(), batch.labels(), ForwardContext.training(seed + steps));
            times.exit("loss");
            times.enter();
            state = optimizer.stepInPlace(network.gradient(), state, network.params()).state();
            times.exit("optimizer");
            steps += measuring ? 1 : 0;
        }
        return new Result(times.selfNanos(), steps);
    }
}
