package dev.sparktrain.driver.inprocess;

import dev.sparktrain.driver.ModeSetup;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.modes.InnerState;
import dev.sparktrain.driver.modes.Round;
import dev.sparktrain.driver.modes.RoundResult;
import dev.sparktrain.driver.modes.RoundStrategy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training in one call, without Spark: the same rounds, tasks and merges as a Spark run, on {@code training.workers}
 * workers in this process (one thread each, up to the cores there are), so the same data in the same partitions gives
 * bitwise the parameters Spark would. For library users who train on one machine, and for tests and benchmarks of the
 * workers' code without Spark's overhead. Needs no Spark class at run time: only this package, {@code modes},
 * {@code aggregate}, {@code data}'s blocks and the parameter server.
 */
public final class InProcessTrainer {

    /** The final parameters and what each epoch did (no test figures: there is no test set here). */
    public record Result(INDArray params, List<EpochMetrics> epochs) {
    }

    private InProcessTrainer() {
    }

    /**
     * Trains on {@code labels.length} rows of {@code features} (row-major, the same number of values per row), split
     * into {@code config.workers()} contiguous partitions as Spark's {@code parallelize} splits a list.
     */
    public static Result fit(NetworkSpec spec, Optimizer optimizer, TrainingConfig config, float[] features,
                             float[] labels) {
        int rows = labels.length;
        if (rows == 0 || features.length % rows != 0) {
            throw new IllegalArgumentException("features must hold the same number of values for each of the "
                    + rows + " labels, got " + features.length + " values");
        }
        int featureSize = features.length / rows;
        int workers = config.workers();
        List<DataBlock> partitions = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) w * rows / workers);
            int to = (int) ((long) (w + 1) * rows / workers);
            float[] x = new float[(to - from) * featureSize];
            float[] y = new float[to - from];
            System.arraycopy(features, from * featureSize, x, 0, x.length);
            System.arraycopy(labels, from, y, 0, y.length);
            partitions.add(new DataBlock(to - from, featureSize, x, y));
        }
        return fit(spec, optimizer, config, partitions);
    }

    /**
     * Trains on the rows of {@code batches}, read once: batch i goes to worker i mod {@code config.workers()}, and each
     * worker's batches form its partition in the order they came.
     */
    public static Result fit(NetworkSpec spec, Optimizer optimizer, TrainingConfig config, Iterator<DataBlock> batches) {
        int workers = config.workers();
        List<List<DataBlock>> perWorker = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            perWorker.add(new ArrayList<>());
        }
        int featureSize = -1;
        for (int i = 0; batches.hasNext(); i++) {
            DataBlock batch = batches.next();
            featureSize = batch.featureSize();
            perWorker.get(i % workers).add(batch);
        }
        if (featureSize < 0) {
            throw new IllegalArgumentException("the training batches are empty");
        }
        List<DataBlock> partitions = new ArrayList<>(workers);
        for (List<DataBlock> blocks : perWorker) {
            partitions.add(DataBlock.concat(blocks, featureSize));
        }
        return fit(spec, optimizer, config, partitions);
    }

    /** Trains on {@code partitions}, one worker each (worker i on block i). */
    public static Result fit(NetworkSpec spec, Optimizer optimizer, TrainingConfig config, List<DataBlock> partitions) {
        long totalRows = partitions.stream().mapToLong(DataBlock::rows).sum();
        if (totalRows == 0) {
            throw new IllegalArgumentException("the training data set is empty");
        }
        int maxRows = partitions.stream().mapToInt(DataBlock::rows).max().orElse(0);
        ParameterServer server = ModeSetup.server(spec, optimizer, config);
        RoundStrategy strategy = ModeSetup.strategy(spec, optimizer, config,
                partitions.stream().mapToInt(DataBlock::rows).toArray());
        int threadCount = Math.min(partitions.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService threads = threadCount > 1 ? Executors.newFixedThreadPool(threadCount, r -> {
            Thread t = new Thread(r, "sparktrain-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            List<EpochMetrics> epochs = new ArrayList<>();
            Map<Integer, InnerState> carries = Map.of();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                int rounds = strategy.roundsPerEpoch(maxRows);
                double lossSum = 0;
                long samples = 0;
                try (InProcessSession session = new InProcessSession(partitions, threads,
                        strategy.carriesWorkerState() ? carries : null)) {
                    for (int round = 0; round < rounds; round++) {
                        RoundResult r = Round.run(strategy, server, session, epoch, round);
                        if (r.samples() > 0) {
                            lossSum += r.loss() * r.samples();
                            samples += r.samples();
                        }
                    }
                    Map<Integer, InnerState> next = new HashMap<>(carries);
                    next.putAll(session.finish());
                    carries = next;
                }
                epochs.add(new EpochMetrics(epoch, config.epochs(), rounds, samples,
                        samples > 0 ? lossSum / samples : Double.NaN, (System.nanoTime() - start) / 1e9, 0,
                        OptionalDouble.empty(), OptionalDouble.empty()));
            }
            return new Result(server.params(), List.copyOf(epochs));
        } finally {
            if (threads != null) {
                threads.shutdownNow();
            }
        }
    }
}
