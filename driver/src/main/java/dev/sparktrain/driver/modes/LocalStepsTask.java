package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.ImageAugmenter;
import dev.sparktrain.driver.data.RowAugmentation;
import dev.sparktrain.driver.data.Seeds;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;
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
 * samples it used; under {@code keep} it carries its state on. With {@code training.exchange.pseudo_gradient} in 16
 * bits it returns its rounded pseudo-gradient instead of its parameters and carries the rounding's residual
 * ({@link ErrorFeedback}). A pure function of its inputs.
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
    private final WirePrecision pseudoGradient;
    private final RowAugmentation augmentation;

    /** Without augmentation. */
    public LocalStepsTask(NetworkSpec spec, Optimizer optimizer, InnerStatePolicy policy, long seed, int localSteps,
                          int batchSize, boolean dropLastBatch, WirePrecision pseudoGradient) {
        this(spec, optimizer, policy, seed, localSteps, batchSize, dropLastBatch, pseudoGradient,
                RowAugmentation.NONE);
    }

    /**
     * With {@code pseudoGradient} in 16 bits, the task returns its pseudo-gradient θ − θ_worker rounded with
     * {@link ErrorFeedback} instead of its parameters, and carries the residual. Training rows are augmented as
     * {@code augmentation} says.
     */
    public LocalStepsTask(NetworkSpec spec, Optimizer optimizer, InnerStatePolicy policy, long seed, int localSteps,
                          int batchSize, boolean dropLastBatch, WirePrecision pseudoGradient,
                          RowAugmentation augmentation) {
        this.augmentation = augmentation;
        this.spec = spec;
        this.optimizer = optimizer;
        this.policy = policy;
        this.seed = seed;
        this.localSteps = localSteps;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
        this.pseudoGradient = pseudoGradient;
    }

    /** Whether workers carry state from round to round: a kept inner state, or an error-feedback residual. */
    public boolean carries() {
        return policy == InnerStatePolicy.KEEP || pseudoGradient.halves();
    }

    @Override
    public TaskOutput run(RoundPlan plan, int partition, DataBlock block, Carry carry) {
        RoundSums result = RoundSums.empty();
        int epoch = plan.epoch();
        int round = plan.round();
        int firstRow = round * localSteps * batchSize;
        if (firstRow >= block.rows() || (dropLastBatch && block.rows() - firstRow < batchSize)) {
            // No step to take: a kept state and a residual go on as they came.
            return new TaskOutput(result, carries() ? carry : Carry.NONE);
        }
        long start = System.nanoTime();
        // The network computes on its own copy of the plan's parameters, updated in place step by step.
        TaskScratch scratch = TaskScratch.withParams(spec, plan.params().params());
        Network network = scratch.network();
        OptimizerState state = startState(plan, carry, scratch);
        long fetched = System.nanoTime();
        int[] order = scratch.order(seed, epoch, partition, block.rows());
        ImageAugmenter augmenter = augmentation.enabled()
                ? scratch.augmenter(augmentation.augmentation(), seed) : null;
        long firstGlobalRow = augmentation.enabled() ? augmentation.firstRow(partition, block) : 0;
        double lossSum = 0;
        long samples = 0;
        for (int step = 0; step < localSteps; step++) {
            int from = (round * localSteps + step) * batchSize;
            int rows = Math.min(batchSize, block.rows() - from);
            if (rows <= 0 || (dropLastBatch && rows < batchSize)) {
                break;
            }
            Batch batch = augmenter != null
                    ? scratch.batches().gatherAugmented(block, order, from, rows, augmenter, epoch, firstGlobalRow)
                    : scratch.batches().gather(block, order, from, rows);
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
        if (!pseudoGradient.halves()) {
            vectors.put(RoundSums.PARAMS, network.params());
        }
        if (policy == InnerStatePolicy.AVERAGE) {
            state.slots().forEach((name, slot) -> vectors.put(SLOT + name, slot));
        }
        long length = network.params().length();
        if (pseudoGradient.halves()) {
            ErrorFeedback.Rounded sent = ErrorFeedback.round(plan.params().params(),
                    NativeFloats.toArray(network.params()), residual(carry), pseudoGradient);
            result = RoundSums.ofRounded(RoundSums.PSEUDO_GRADIENT, sent.bits(), pseudoGradient, vectors,
                    lossSum / samples, samples, state.step());
            result.taskStats().record(fetched - start, System.nanoTime() - fetched,
                    length * (2 + (long) Float.BYTES * vectors.size()));
            InnerState kept = policy == InnerStatePolicy.KEEP ? InnerState.of(state) : new InnerState(0, Map.of());
            return new TaskOutput(result, Carry.sent(kept.with(ErrorFeedback.RESIDUAL, sent.residual())));
        }
        result.add(vectors, lossSum / samples, samples, state.step());
        result.taskStats().record(fetched - start, System.nanoTime() - fetched,
                length * vectors.size() * Float.BYTES);
        return new TaskOutput(result, policy == InnerStatePolicy.KEEP ? new Carry.Live(state) : Carry.NONE);
    }

    /** The error-feedback residual the carry holds, or null (none yet). */
    private static float[] residual(Carry carry) {
        InnerState state = carry.toInnerState();
        return state == null ? null : state.slots().get(ErrorFeedback.RESIDUAL);
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
                if (carry instanceof Carry.Sent sent) {
                    // A residual is no part of the optimizer's state.
                    yield (pseudoGradient.halves() ? sent.state().without(ErrorFeedback.RESIDUAL) : sent.state())
                            .toOptimizerState();
                }
                yield scratch.freshOwned(optimizer);
            }
        };
    }
}
