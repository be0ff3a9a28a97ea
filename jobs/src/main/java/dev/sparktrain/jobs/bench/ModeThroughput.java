package dev.sparktrain.jobs.bench;

import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark training throughput in one mode: the real {@link Trainer} on the cached training blocks, no evaluation.
 * Untimed one-epoch runs first warm the JIT up for as long as the kernel's warm-up lasts: the round's Spark, channel
 * and aggregation code is compiled only once it runs, and before that the compiler threads took 10-25% of the two
 * cores through the first three seconds of training (perf, average mode). Epoch 1 of the measured run also warms
 * the caches; the figures are medians over the later epochs. Also records the resident memory after every epoch,
 * to see whether anything grows.
 */
public final class ModeThroughput {

    /**
     * Medians over the measured epochs; the round split holds means over their rounds, and {@code betweenSeconds} is
     * the epochs' training time per round outside the rounds (the driver's bookkeeping: metrics, listeners).
     */
    public record Result(String mode, int warmupEpochs, int epochs, double samplesPerSecond, double secondsPerEpoch,
                         double roundSeconds, double broadcastSeconds, double fetchSeconds, double computeSeconds,
                         double sparkSeconds, double driverSeconds, double betweenSeconds, long broadcastBytes,
                         long resultBytes, double finalTrainLoss, List<ProcessMemory> memoryAfterEpoch) {
    }

    private ModeThroughput() {
    }

    /** Trains {@code config} after one-epoch warm-up runs that last {@code warmupSeconds} (none when 0). */
    public static Result measure(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config,
                                 CachedBlocks train, double warmupSeconds) {
        int warmupEpochs = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        while (System.nanoTime() < warmupEnd) {
            fit(sc, spec, optimizer, config.withEpochs(1), train, List.of());
            warmupEpochs++;
        }
        List<RoundMetrics> rounds = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        List<ProcessMemory> memory = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
                rounds.add(m);
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                epochs.add(m);
                memory.add(ProcessMemory.current());
            }
        };
        fit(sc, spec, optimizer, config, train, List.of(listener));
        int firstMeasured = epochs.size() > 1 ? 2 : 1;
        List<EpochMetrics> measured = epochs.stream().filter(e -> e.epoch() >= firstMeasured).toList();
        List<RoundMetrics> measuredRounds = rounds.stream().filter(r -> r.epoch() >= firstMeasured).toList();
        double perRound = measured.stream().mapToDouble(EpochMetrics::trainSeconds).sum()
                / Math.max(1, measuredRounds.size());
        double roundSeconds = mean(measuredRounds, RoundMetrics::seconds);
        return new Result(config.mode().configName(), warmupEpochs, epochs.size(),
                median(measured, e -> e.samples() / e.trainSeconds()), median(measured, EpochMetrics::trainSeconds),
                roundSeconds, mean(measuredRounds, RoundMetrics::broadcastSeconds),
                mean(measuredRounds, RoundMetrics::fetchSeconds), mean(measuredRounds, RoundMetrics::computeSeconds),
                mean(measuredRounds, RoundMetrics::sparkSeconds), mean(measuredRounds, RoundMetrics::driverSeconds),
                Math.max(0, perRound - roundSeconds), (long) mean(measuredRounds, RoundMetrics::broadcastBytes),
                (long) mean(measuredRounds, RoundMetrics::resultBytes),
                epochs.get(epochs.size() - 1).trainLoss(), List.copyOf(memory));
    }

    private static void fit(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config,
                            CachedBlocks train, List<TrainingListener> listeners) {
        Trainer.builder(sc, spec, optimizer, config).listeners(listeners).build().fit(train, null);
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        double[] v = items.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static <T> double mean(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).average().orElse(Double.NaN);
    }
}
