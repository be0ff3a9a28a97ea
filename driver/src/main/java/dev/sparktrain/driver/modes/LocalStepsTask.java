package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.PartitionTask;
import dev.sparktrain.driver.aggregate.ParameterSum;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.driver.exchange.RoundInput;
import dev.sparktrain.driver.exchange.RoundRunner.BlockPlace;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.InnerStatePolicy;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One worker's share of a local-steps round ({@code average} and {@code outer} modes): up to H optimizer steps on
 * its next H mini-batches of this epoch's order, starting from the broadcast parameters and either a fresh inner
 * optimizer state or the broadcast (averaged) one. Returns its final parameters, weighted by the samples it used.
 * A pure function of its inputs, so a retried task returns the same result.
 */
public final class LocalStepsTask implements PartitionTask<DataBlock, ParameterSum> {

    private static final long serialVersionUID = 1L;

    private final NetworkSpec spec;
    private final Optimizer optimizer;
    private final RoundInput<ParameterSnapshot> params;
    private final InnerStatePolicy policy;
    private final RoundInput<InnerState> sharedState;
    private final RoundInput<HashMap<Integer, InnerState>> workerStates;
    private final long seed;
    private final int epoch;
    private final int round;
    private final int localSteps;
    private final int batchSize;
    private final boolean dropLastBatch;
    private final BlockPlace place;

    /**
     * The inner state starts fresh ({@code reset}), from {@code sharedState} ({@code average}: the workers' mean
     * from the last round) or from this partition's entry of {@code workerStates} ({@code keep}; fresh if absent).
     * The input not used by the policy is null. With {@code keep} on a transport that keeps a worker on one task for
     * a block, {@code place} says where this round is in it: after the block's first round each worker continues from
     * the state it ended the previous round with, which stays on the worker, and returns its state only in the
     * block's last round; {@code place} is null otherwise.
     */
    public LocalStepsTask(NetworkSpec spec, Optimizer optimizer, RoundInput<ParameterSnapshot> params,
                          InnerStatePolicy policy, RoundInput<InnerState> sharedState,
                          RoundInput<HashMap<Integer, InnerState>> workerStates, long seed, int epoch, int round,
                          int localSteps, int batchSize, boolean dropLastBatch, BlockPlace place) {
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
        this.place = policy == InnerStatePolicy.KEEP ? place : null;
    }

    @Override
    public ParameterSum run(int partition, Iterator<DataBlock> blocks) {
        ParameterSum result = ParameterSum.empty();
        if (!blocks.hasNext()) {
            return result;
        }
        DataBlock block = blocks.next();
        int[] order = null;
        long start = System.nanoTime();
        // The network computes on its own copy of the broadcast parameters, updated in place step by step.
        TaskScratch scratch = TaskScratch.withParams(spec, params.get().params());
        Network network = scratch.network();
        boolean resident = place != null && !place.first();
        OptimizerState state = resident ? scratch.resident(place, partition) : startState(partition, scratch);
        long fetched = System.nanoTime();
        double lossSum = 0;
        long samples = 0;
        for (int step = 0; step < localSteps; step++) {
            int from = (round * localSteps + step) * batchSize;
            int rows = Math.min(batchSize, block.rows() - from);
            if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
                break;
            }
            if (order == null) {
                order = scratch.order(seed, epoch, partition, block.rows());
            }
            Batch batch = scratch.batches().gather(block, order, from, rows);
            ForwardContext context = ForwardContext.training(Seeds.mix(seed, Seeds.STEP, epoch, round, partition,
                    step));
            WorkerStep.Outcome outcome = WorkerStep.run(network, optimizer, state, batch, context);
            if (!outcome.finite()) {
                return result.markNonFinite(partition);
            }
            state = outcome.state();
            lossSum += outcome.loss() * rows;
            samples += rows;
        }
        if (place != null) {
            scratch.keepResident(place, partition, state);
        }
        // A kept state goes back when it changed, or, staying on the worker, when the block ends.
        boolean returnState = policy == InnerStatePolicy.KEEP && (place == null || place.last())
                && (samples > 0 || resident);
        if (returnState) {
            result.keepWorkerState(partition, InnerState.of(state));
        }
        if (samples > 0) {
            Map<String, float[]> slots = policy == InnerStatePolicy.AVERAGE ? InnerState.of(state).slots() : Map.of();
            result.add(scratch.resultArray(network.params()), slots, state.step(), lossSum / samples, samples);
            long vectors = 1L + (policy == InnerStatePolicy.AVERAGE || returnState ? state.slots().size() : 0);
            long payload = network.params().length() * vectors;
            result.taskStats().record(fetched - start, System.nanoTime() - fetched, payload * Float.BYTES);
        }
        return result;
    }

    private OptimizerState startState(int partition, TaskScratch scratch) {
        return switch (policy) {
            case RESET -> scratch.fresh(optimizer);
            case AVERAGE -> scratch.copyOf(sharedState.get());
            case KEEP -> {
                InnerState own = workerStates.get().get(partition);
                yield own == null ? scratch.fresh(optimizer) : scratch.copyOf(own);
            }
        };
    }
}
