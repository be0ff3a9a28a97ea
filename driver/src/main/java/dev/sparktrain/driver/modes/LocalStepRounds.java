package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.ParameterSum;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.exchange.RoundInput;
import dev.sparktrain.driver.exchange.RoundRunner;
import dev.sparktrain.driver.exchange.RoundRunner.BlockPlace;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.BlasVectors;
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
 * The {@code average} and {@code outer} modes: each worker runs H optimizer steps from the broadcast parameters
 * on its next H mini-batches; the driver takes the sample-weighted mean of the workers' parameters and either
 * adopts it ({@code average}) or feeds θ − mean to its outer optimizer ({@code outer}). The inner optimizer state
 * follows {@code training.inner_state}; kept per-worker states live here, on the driver, between rounds.
 */
public final class LocalStepRounds implements RoundStrategy {

    private final RoundRunner runner;
    private final NetworkSpec spec;
    private final ParameterServer server;
    private final TrainingConfig config;
    private final Optimizer inner;
    private final HashMap<Integer, InnerState> workerStates = new HashMap<>();
    /** The parameters shared with the last round's tasks: its array is reused once the round is over. */
    private ParameterSnapshot lastSnapshot;
    /** The round's mean parameters and inner-state slots, in arrays kept across rounds: the server copies them. */
    private float[] meanValues;
    private INDArray meanParams;
    private final Map<String, INDArray> meanSlots = new HashMap<>();

    /** {@code inner} is the workers' optimizer; in outer mode the server holds the outer one. */
    public LocalStepRounds(RoundRunner runner, NetworkSpec spec, ParameterServer server, TrainingConfig config,
                           Optimizer inner) {
        if (!config.localStepsMode()) {
            throw new IllegalArgumentException("local-step rounds need mode average or outer, got "
                    + config.mode().configName());
        }
        this.runner = runner;
        this.spec = spec;
        this.server = server;
        this.config = config;
        this.inner = inner;
    }

    @Override
    public int roundsPerEpoch(CachedBlocks train) {
        int b = config.batchSizePerWorker();
        int max = train.maxRows();
        int batches = config.dropLastBatch() ? max / b : (max + b - 1) / b;
        return (batches + config.localSteps() - 1) / config.localSteps();
    }

    @Override
    public Map<Integer, InnerState> workerStates() {
        return Map.copyOf(workerStates);
    }

    @Override
    public void restoreWorkerStates(Map<Integer, InnerState> states) {
        workerStates.clear();
        workerStates.putAll(states);
    }

    @Override
    public RoundResult run(CachedBlocks train, int epoch, int round) {
        long start = System.nanoTime();
        InnerStatePolicy policy = config.innerState();
        lastSnapshot = server.snapshot(lastSnapshot);
        RoundInput<ParameterSnapshot> params = runner.share(lastSnapshot);
        InnerState sharedState = policy == InnerStatePolicy.AVERAGE ? sharedInnerState() : null;
        RoundInput<InnerState> shared = sharedState != null ? runner.share(sharedState) : null;
        // Kept states stay on the workers between the rounds of a channel block: only its first round sends them.
        BlockPlace place = policy == InnerStatePolicy.KEEP ? runner.nextRound() : null;
        boolean sendKept = policy == InnerStatePolicy.KEEP && (place == null || place.first());
        RoundInput<HashMap<Integer, InnerState>> kept = sendKept ? runner.share(new HashMap<>(workerStates)) : null;
        long broadcastBytes = Float.BYTES * server.length() * (1L + (sharedState != null
                ? sharedState.slots().size() : 0) + (sendKept ? workerStates.values().stream()
                .mapToLong(w -> w.slots().size()).sum() : 0));
        long broadcast = System.nanoTime();
        ParameterSum sum;
        try {
            LocalStepsTask task = new LocalStepsTask(spec, inner, params, policy, shared, kept, config.seed(), epoch,
                    round, config.localSteps(), config.batchSizePerWorker(), config.dropLastBatch(), place);
            sum = runner.run(train, task, ParameterSum.empty(), ParameterSum::merge);
        } finally {
            runner.release(params);
            if (shared != null) {
                runner.release(shared);
            }
            if (kept != null) {
                runner.release(kept);
            }
        }
        long job = System.nanoTime();
        if (sum.firstNonFinitePartition() >= 0) {
            throw new NonFiniteLossException(epoch, round, sum.firstNonFinitePartition());
        }
        if (sum.isEmpty()) {
            return RoundResult.EMPTY;
        }
        meanValues = sum.meanParams(meanValues);
        meanParams = NativeFloats.refill(meanParams, meanValues);
        if (!BlasVectors.allFinite(meanParams)) {
            throw new NonFiniteLossException(epoch, round, -1);
        }
        workerStates.putAll(sum.workerStates());
        OptimizerState meanInner = policy == InnerStatePolicy.AVERAGE ? meanInnerState(sum) : null;
        double pseudoGradientNorm;
        double updateNorm;
        if (config.mode() == TrainingMode.OUTER) {
            pseudoGradientNorm = server.distanceTo(meanParams);
            updateNorm = server.applyOuterStep(meanParams, meanInner);
        } else {
            // Averaging moves the parameters to the workers' mean: the change is the pseudo-gradient, computed once.
            updateNorm = server.applyParameterAverage(meanParams, policy, meanInner);
            pseudoGradientNorm = updateNorm;
        }
        RunningState.adoptWorkerMean(server, spec, meanParams);
        RoundCost cost = RoundCost.measured(start, broadcast, job, System.nanoTime(), sum.taskStats(),
                broadcastBytes);
        // The workers' rate at their last local step (schedules count inner steps).
        double learningRate = inner.learningRateAt(Math.max(0, sum.maxInnerStep() - 1));
        return new RoundResult(sum.count(), sum.meanLoss(), pseudoGradientNorm, updateNorm, learningRate, cost);
    }

    private InnerState sharedInnerState() {
        return server.readInnerState(InnerState::of)
                .orElseGet(() -> InnerState.of(inner.init(server.params())));
    }

    private OptimizerState meanInnerState(ParameterSum sum) {
        Map<String, INDArray> slots = new LinkedHashMap<>();
        sum.meanSlots().forEach((name, slot) -> {
            meanSlots.put(name, NativeFloats.refill(meanSlots.get(name), slot));
            slots.put(name, meanSlots.get(name));
        });
        return new OptimizerState(sum.maxInnerStep(), slots);
    }
}
