package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.data.RowAugmentation;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ParameterSnapshot;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code average} and {@code outer} modes: each worker runs H optimizer steps from the plan's parameters on its
 * next H mini-batches; the driver takes the sample-weighted mean of the workers' parameters and either adopts it
 * ({@code average}) or feeds θ − mean to the server's outer optimizer ({@code outer}). The inner optimizer state
 * follows {@code training.inner_state}: averaged like the parameters and sent with the next plan, reset, or kept by
 * each worker as its carry. With {@code training.exchange.pseudo_gradient} in 16 bits, the workers send their rounded
 * pseudo-gradients instead, and the mean is θ − their mean.
 */
public final class LocalStepRounds implements RoundStrategy {

    private final NetworkSpec spec;
    private final Optimizer inner;
    private final InnerStatePolicy policy;
    private final boolean outer;
    private final int localSteps;
    private final int batchSize;
    private final boolean dropLastBatch;
    private final LocalStepsTask task;
    private final WirePrecision pseudoGradient;
    /** The workers' mean parameters θ − mean(pseudo-gradient) when pseudo-gradients travel in 16 bits. */
    private float[] fromPseudoGradient;
    /** The parameters sent with the last round: its array is reused once the round is over. */
    private ParameterSnapshot lastSnapshot;
    /**
     * The round's mean parameters (only for networks with running statistics) and inner-state slots, in native arrays
     * kept across rounds: the server copies them.
     */
    private INDArray meanParams;
    private final Map<String, INDArray> meanSlots = new HashMap<>();

    /**
     * {@code inner} is the workers' optimizer; with {@code outer} the server holds the outer one and applies θ − mean
     * as its gradient, otherwise the server adopts the mean. The workers augment their rows as {@code augmentation}
     * says.
     */
    public LocalStepRounds(NetworkSpec spec, Optimizer inner, InnerStatePolicy policy, boolean outer, long seed,
                           int localSteps, int batchSize, boolean dropLastBatch, WirePrecision pseudoGradient,
                           RowAugmentation augmentation) {
        this.spec = spec;
        this.inner = inner;
        this.policy = policy;
        this.outer = outer;
        this.localSteps = localSteps;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
        this.pseudoGradient = pseudoGradient;
        this.task = new LocalStepsTask(spec, inner, policy, seed, localSteps, batchSize, dropLastBatch,
                pseudoGradient, augmentation);
    }

    @Override
    public int roundsPerEpoch(int maxRows) {
        int batches = dropLastBatch ? maxRows / batchSize : (maxRows + batchSize - 1) / batchSize;
        return (batches + localSteps - 1) / localSteps;
    }

    @Override
    public RoundTask task() {
        return task;
    }

    @Override
    public boolean carriesWorkerState() {
        return task.carries();
    }

    @Override
    public RoundPlan plan(ParameterServer server, int epoch, int round) {
        lastSnapshot = server.snapshot(lastSnapshot);
        InnerState shared = policy != InnerStatePolicy.AVERAGE ? null : server.readInnerState(InnerState::of)
                .orElseGet(() -> InnerState.of(inner.init(server.params())));
        return new RoundPlan(epoch, round, lastSnapshot, shared);
    }

    /**
     * The server adopts the workers' mean parameters, or steps on θ − mean, where the mean lies (a Java array, fused
     * passes), or, for an outer step that needs the mean for nothing else, on θ − Σ/n formed from the workers' sums
     * in its own pass (no merge, no mean pass); a mean with a NaN or infinite value leaves it unchanged.
     */
    @Override
    public Applied apply(ParameterServer server, RoundPlan plan, RoundSums merged) {
        if (outer && !pseudoGradient.halves() && policy != InnerStatePolicy.AVERAGE
                && spec.layout().trainableLength() == spec.layout().totalLength()) {
            // Nothing else needs the mean: the server forms θ − Σ/n from the workers' sums as it steps.
            ParameterServer.Update update = server.applyOuterStep(merged.sumOf(RoundSums.PARAMS), merged.count(), null)
                    .orElseThrow(() -> new NonFiniteLossException(plan.epoch(), plan.round(), -1));
            return new Applied(update, inner.learningRateAt(Math.max(0, merged.maxStep() - 1)));
        }
        float[] mean = pseudoGradient.halves() ? workersMean(plan, merged) : merged.mean(RoundSums.PARAMS);
        OptimizerState meanInner = policy == InnerStatePolicy.AVERAGE ? meanInnerState(merged) : null;
        // In average mode the change is the pseudo-gradient, measured once.
        ParameterServer.Update update = (outer ? server.applyOuterStep(mean, meanInner)
                : server.applyParameterAverage(mean, policy, meanInner))
                .orElseThrow(() -> new NonFiniteLossException(plan.epoch(), plan.round(), -1));
        if (spec.layout().trainableLength() < spec.layout().totalLength()) {
            RunningState.adoptWorkerMean(server, spec, meanParams = NativeFloats.refill(meanParams, mean));
        }
        // The workers' rate at their last local step (schedules count inner steps).
        double learningRate = inner.learningRateAt(Math.max(0, merged.maxStep() - 1));
        return new Applied(update, learningRate);
    }

    /** θ − mean(pseudo-gradient): the workers' mean parameters as far as 16-bit pseudo-gradients tell them. */
    private float[] workersMean(RoundPlan plan, RoundSums merged) {
        float[] theta = plan.params().params();
        float[] meanPseudoGradient = merged.mean(RoundSums.PSEUDO_GRADIENT);
        if (fromPseudoGradient == null || fromPseudoGradient.length != theta.length) {
            fromPseudoGradient = new float[theta.length];
        }
        for (int i = 0; i < theta.length; i++) {
            fromPseudoGradient[i] = theta[i] - meanPseudoGradient[i];
        }
        return fromPseudoGradient;
    }

    private OptimizerState meanInnerState(RoundSums merged) {
        Map<String, INDArray> slots = new LinkedHashMap<>();
        for (String name : merged.names()) {
            if (name.startsWith(LocalStepsTask.SLOT)) {
                String slot = name.substring(LocalStepsTask.SLOT.length());
                meanSlots.put(slot, NativeFloats.refill(meanSlots.get(slot), merged.mean(name)));
                slots.put(slot, meanSlots.get(slot));
            }
        }
        return new OptimizerState(merged.maxStep(), slots);
    }
}
