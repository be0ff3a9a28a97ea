package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.aggregate.GradientSum;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.exchange.RoundInput;
import dev.sparktrain.driver.exchange.RoundRunner;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ParameterSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code sync} mode: one mini-batch per worker per round; the driver applies the optimizer to the sample-weighted
 * mean gradient, which equals single-machine training on the global batch.
 */
public final class SyncRounds implements RoundStrategy {

    private final RoundRunner runner;
    private final NetworkSpec spec;
    private final ParameterServer server;
    private final TrainingConfig config;
    /** The parameters shared with the last round's tasks: its array is reused once the round is over. */
    private ParameterSnapshot lastSnapshot;
    /**
     * The round's mean gradient, in Java and native arrays reused round after round; the server's step overwrites the
     * native one.
     */
    private float[] meanValues;
    private INDArray meanGradient;

    public SyncRounds(RoundRunner runner, NetworkSpec spec, ParameterServer server, TrainingConfig config) {
        this.runner = runner;
        this.spec = spec;
        this.server = server;
        this.config = config;
    }

    @Override
    public int roundsPerEpoch(CachedBlocks train) {
        int b = config.batchSizePerWorker();
        int max = train.maxRows();
        return config.dropLastBatch() ? max / b : (max + b - 1) / b;
    }

    @Override
    public RoundResult run(CachedBlocks train, int epoch, int round) {
        long start = System.nanoTime();
        lastSnapshot = server.snapshot(lastSnapshot);
        RoundInput<ParameterSnapshot> params = runner.share(lastSnapshot);
        long broadcast = System.nanoTime();
        GradientSum sum;
        try {
            SyncRoundTask task = new SyncRoundTask(spec, params, config.seed(), epoch, round,
                    config.batchSizePerWorker(), config.dropLastBatch());
            sum = runner.run(train, task, GradientSum.empty(), GradientSum::merge);
        } finally {
            runner.release(params);
        }
        long job = System.nanoTime();
        if (sum.firstNonFinitePartition() >= 0) {
            throw new NonFiniteLossException(epoch, round, sum.firstNonFinitePartition());
        }
        if (sum.isEmpty()) {
            return RoundResult.EMPTY;
        }
        meanValues = sum.meanGradient(meanValues);
        meanGradient = NativeFloats.refill(meanGradient, meanValues);
        double learningRate = server.optimizer().learningRateAt(server.step());
        double gradientNorm = BlasVectors.norm2(meanGradient);
        // The step may overwrite meanGradient: it is refilled next round.
        double updateNorm = server.applyMeanGradientOverwriting(meanGradient);
        float[] meanParams = sum.meanParams();
        if (meanParams != null) {
            RunningState.adoptWorkerMean(server, spec, NativeFloats.copyOf(meanParams));
        }
        RoundCost cost = RoundCost.measured(start, broadcast, job, System.nanoTime(), sum.taskStats(),
                server.length() * Float.BYTES);
        return new RoundResult(sum.count(), sum.meanLoss(), gradientNorm, updateNorm, learningRate, cost);
    }
}
