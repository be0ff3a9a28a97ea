package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.RowAugmentation;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ParameterSnapshot;

/**
 * {@code sync} mode: one mini-batch per worker per round; the driver applies the optimizer to the sample-weighted
 * mean gradient, which equals single-machine training on the global batch.
 */
public final class SyncRounds implements RoundStrategy {

    private final NetworkSpec spec;
    private final int batchSize;
    private final boolean dropLastBatch;
    private final SyncRoundTask task;
    /** The parameters sent with the last round: its array is reused once the round is over. */
    private ParameterSnapshot lastSnapshot;

    /** Workers augment their rows as {@code augmentation} says. */
    public SyncRounds(NetworkSpec spec, long seed, int batchSize, boolean dropLastBatch,
                      RowAugmentation augmentation) {
        this.spec = spec;
        this.batchSize = batchSize;
        this.dropLastBatch = dropLastBatch;
        this.task = new SyncRoundTask(spec, seed, batchSize, dropLastBatch, augmentation);
    }

    @Override
    public int roundsPerEpoch(int maxRows) {
        return dropLastBatch ? maxRows / batchSize : (maxRows + batchSize - 1) / batchSize;
    }

    @Override
    public RoundTask task() {
        return task;
    }

    @Override
    public boolean carriesWorkerState() {
        return false;
    }

    @Override
    public RoundPlan plan(ParameterServer server, int epoch, int round) {
        lastSnapshot = server.snapshot(lastSnapshot);
        return new RoundPlan(epoch, round, lastSnapshot, null);
    }

    /**
     * The server steps on the workers' gradient sums where they lie, Java arrays, adding them in partition order and
     * dividing by the sample count as it reads them (one fused pass: no merge pass before it, no copies).
     */
    @Override
    public Applied apply(ParameterServer server, RoundPlan plan, RoundSums merged) {
        double learningRate = server.optimizer().learningRateAt(server.step());
        ParameterServer.Update update = server.applyMeanGradient(merged.sumOf(RoundSums.GRADIENT), merged.count());
        if (merged.has(RoundSums.PARAMS)) {
            RunningState.adoptWorkerMean(server, spec, NativeFloats.copyOf(merged.mean(RoundSums.PARAMS)));
        }
        return new Applied(update, learningRate);
    }
}
