package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.ParameterSum;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.InnerStatePolicy;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's share of a local-steps round ({@code average} and {@code outer} modes): up to H optimizer steps on
 * its next H mini-batches of this epoch's order, starting from the broadcast parameters and either a fresh inner
 * optimizer state or the broadcast (averaged) one. Returns its final parameters, weighted by the samples it used.
 * A pure function of its inputs, so a retried task returns the same result.
 */
public final class LocalStepsTask implements Function2<Integer, Iterator<DataBlock>, Iterator<ParameterSum>> {

    private static final long serialVersionUID = 1L;

    private final NetworkSpec spec;
    private final Optimizer optimizer;
    private final Broadcast<ParameterSnapshot> params;
    private final InnerStatePolicy policy;
    private final Broadcast<InnerState> sharedState;
    private final Broadcast<HashMap<Integer, InnerState>> workerStates;
    private final long seed;
    private final int epoch;
    private final int round;
    private final int localSteps;
    private final int batchSize;
    private final boolean dropLastBatch;

    /**
     * The inner state starts fresh ({@code reset}), from {@code sharedState} ({@code average}: the workers' mean
     * from the last round) or from this partition's entry of {@code workerStates} ({@code keep}; fresh if absent).
     * The broadcast not used by the policy is null.
     */
    public LocalStepsTask(NetworkSpec spec, Optimizer optimizer, Broadcast<ParameterSnapshot> params,
                          InnerStatePolicy policy, Broadcast<InnerState> sharedState,
                          Broadcast<HashMap<Integer, InnerState>> workerStates, long seed, int epoch, int round,
                          int localSteps, int batchSize, boolean dropLastBatch) {
        this.spec = spec;
        this.optimizer = optimizer;
        this.params = params;
        this.policy = policy;
        this.sharedState = sharedState;
        this.workerStates = workerStates;
        this.seed = seed;
        this.epoch = epoch;
        this.round = round;
        this.localSteps = localSteps;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
    }

    @Override
    public Iterator<ParameterSum> call(Integer partition, Iterator<DataBlock> blocks) {
        ParameterSum result = ParameterSum.empty();
        if (!blocks.hasNext()) {
            return List.of(result).iterator();
        }
        DataBlock block = blocks.next();
        int[] order = null;
        long start = System.nanoTime();
        // The network computes on its own copy of the broadcast parameters, updated in place step by step.
        INDArray theta = Nd4j.createFromArray(params.value().params());
        OptimizerState state = startState(partition, theta);
        long fetched = System.nanoTime();
        Network network = new Network(spec, theta);
        double lossSum = 0;
        long samples = 0;
        for (int step = 0; step < localSteps; step++) {
            int from = (round * localSteps + step) * batchSize;
            int rows = Math.min(batchSize, block.rows() - from);
            if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
                break;
            }
            if (order == null) {
                order = Shuffle.order(seed, epoch, partition, block.rows());
            }
            Batch batch = Batch.gather(block, order, from, rows);
            ForwardContext context = ForwardContext.training(Seeds.mix(seed, Seeds.STEP, epoch, round, partition,
                    step));
            WorkerStep.Outcome outcome = WorkerStep.run(network, optimizer, state, batch, context);
            if (!outcome.finite()) {
                return List.of(result.markNonFinite(partition)).iterator();
            }
            state = outcome.state();
            lossSum += outcome.loss() * rows;
            samples += rows;
        }
        if (samples > 0) {
            Map<String, float[]> slots = policy == InnerStatePolicy.AVERAGE ? InnerState.of(state).slots() : Map.of();
            result.add(theta.toFloatVector(), slots, state.step(), lossSum / samples, samples);
            if (policy == InnerStatePolicy.KEEP) {
                result.keepWorkerState(partition, InnerState.of(state));
            }
            long payload = theta.length() * (1L + (policy == InnerStatePolicy.RESET ? 0 : state.slots().size()));
            result.taskStats().record(fetched - start, System.nanoTime() - fetched, payload * Float.BYTES);
        }
        return List.of(result).iterator();
    }

    private OptimizerState startState(int partition, INDArray theta) {
        return switch (policy) {
            case RESET -> optimizer.init(theta);
            case AVERAGE -> sharedState.value().toOptimizerState();
            case KEEP -> {
                InnerState own = workerStates.value().get(partition);
                yield own == null ? optimizer.init(theta) : own.toOptimizerState();
            }
        };
    }
}
