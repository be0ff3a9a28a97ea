package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One worker's share of a local-steps round ({@code average} and {@code outer} modes): up to H optimizer steps on
 * its next H mini-batches of this epoch's order, from the plan's parameters and an inner optimizer state that the
 * policy picks: fresh ({@code reset}), the plan's shared one ({@code average}), or the worker's own carry
 * ({@code keep}). Returns its final parameters (and, under {@code average}, its inner state's slots), weighted by the
 * samples it used; under {@code keep} it carries its state on. A pure function of its inputs.
 */
public final class LocalStepsTask implements RoundTask {

    private static final long serialVersionUID = 1L;
    /** The prefix of an inner-state slot's name among the result's sums. */
    public static final String SLOT = "slot.";

    private final NetworkSpec spec;
    private final Optimizer optimizer;
    private final InnerStatePolicy policy;
    private final long seed;
    private final int localSteps;
    private final int batchSize;
    private final boolean dropLastBatch;

    public LocalStepsTask(NetworkSpec spec, Optimizer optimizer, InnerStatePolicy policy, long seed, int localSteps,
                          int batchSize, boolean dropLastBatch) {
        this.spec = spec;
        this.optimizer = optimizer;
        this.policy = policy;
        this.seed = seed;
        this.localSteps = localSteps;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
    }

    @Override
    public TaskOutput run(RoundPlan plan, int partition, DataBlock block, Carry carry) {
        RoundSums result = RoundSums.empty();
        int epoch = plan.epoch();
        int round = plan.round();
        int firstRow = round * localSteps * batchSize;
        if (firstRow >= block.rows() || (dropLastBatch && block.rows() - firstRow < batchSize)) {
            // No step to take: a kept state goes on as it came.
            return new TaskOutput(result, policy == InnerStatePolicy.KEEP ? carry : Carry.NONE);
        }
        long start = System.nanoTime();
        // The network computes on its own copy of the plan's parameters, updated in place step by step.
        TaskScratch scratch = TaskScratch.withParams(spec, plan.params().params());
        Network network = scratch.network();
        OptimizerState state = startState(plan, carry, scratch);
        long fetched = System.nanoTime();
        int[] order = scratch.order(seed, epoch, partition, block.rows());
        double lossSum = 0;
        long samples = 0;
        for (int step = 0; step < localSteps; step++) {
            int from = (round * localSteps + step) * batchSize;
            int rows = Math.min(batchSize, block.rows() - from);
            if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
                break;
            }
            Batch batch = scratch.batches().gather(block, order, from, rows);
            ForwardContext context = ForwardContext.training(Seeds.mix(seed, Seeds.STEP, epoch, round, partition,
                    step));
            WorkerStep.Outcome outcome = WorkerStep.run(network, optimizer, state, batch, context);
            if (!outcome.finite()) {
                return new TaskOutput(result.markNonFinite(partition), Carry.NONE);
            }
            state = outcome.state();
            lossSum += outcome.loss() * rows;
            samples += rows;
        }
        Map<String, INDArray> vectors = new LinkedHashMap<>();
        vectors.put(RoundSums.PARAMS, network.params());
        if (policy == InnerStatePolicy.AVERAGE) {
            state.slots().forEach((name, slot) -> vectors.put(SLOT + name, slot));
        }
        result.add(vectors, lossSum / samples, samples, state.step());
        long payload = network.params().length() * vectors.size();
        result.taskStats().record(fetched - start, System.nanoTime() - fetched, payload * Float.BYTES);
        return new TaskOutput(result, policy == InnerStatePolicy.KEEP ? new Carry.Live(state) : Carry.NONE);
    }

    /**
     * The state the round's steps start from. A kept state outlives the task, so it lives in arrays of its own; the
     * others are copied into the thread's scratch arrays.
     */
    private OptimizerState startState(RoundPlan plan, Carry carry, TaskScratch scratch) {
        return switch (policy) {
            case RESET -> scratch.fresh(optimizer);
            case AVERAGE -> scratch.copyOf(plan.sharedInner());
            case KEEP -> {
                if (carry instanceof Carry.Live live) {
                    yield live.state();
                }
                yield carry instanceof Carry.Sent sent ? sent.state().toOptimizerState()
                        : scratch.freshOwned(optimizer);
            }
        };
    }
}
