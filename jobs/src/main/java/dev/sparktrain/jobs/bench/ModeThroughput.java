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
 * Untimed one-epoch runs first warm the JIT up for as long as the kernel's warm-up lasts, and on until the JIT is
 * quiet (within a limit): the round's Spark, channel and aggregation code is compiled only once it runs, and before
 * that the compiler threads took 10-25% of the two cores through the first three seconds of training (perf, average
 * mode). Code that runs once a round reaches the compilers' thresholds only after hundreds of rounds, which the
 * local-step modes (a round per 16 steps) take many epochs to run. Epoch 1 of the measured run also warms
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
                         long resultBytes, double finalTrainLoss, List<ProcessMemory> memoryAfterEpoch,
                         RoundSpread roundSpread) {
    }

    /**
     * How the measured rounds' durations spread: their median and 90th and 99th percentiles (nearest rank). A mean
     * round well above the median is a tail of slow rounds, not a slower round.
     */
    public record RoundSpread(double medianSeconds, double p90Seconds, double p99Seconds) {

        static RoundSpread of(List<RoundMetrics> rounds) {
            double[] sorted = rounds.stream().mapToDouble(RoundMetrics::seconds).sorted().toArray();
            return new RoundSpread(median(sorted), nearestRank(sorted, 0.90), nearestRank(sorted, 0.99));
        }

        private static double nearestRank(double[] sorted, double p) {
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /**
     * The JIT counts as quiet once each of the last two warm-up epochs spent at most this share of its time compiling
     * (summed over the compiler threads). Every one-epoch run compiles a little of its own set-up (a new trainer, the
     * workers' Spark job), so the share never reaches 0; the round's own code, once compiled, stops adding to it.
     */
    static final double QUIET_JIT_SHARE = 0.05;

    private ModeThroughput() {
    }

    /**
     * Trains {@code config} after one-epoch warm-up runs: for {@code warmupSeconds} (none when 0), then on while the
     * JIT still compiles ({@link #jitQuiet}), up to {@code maxWarmupSeconds} in all.
     */
    public static Result measure(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config,
                                 CachedBlocks train, double warmupSeconds, double maxWarmupSeconds) {
        int warmupEpochs = 0;
        long warmupStart = System.nanoTime();
        double[] compilingShares = {1, 1};
        while (elapsed(warmupStart) < warmupSeconds
                || (elapsed(warmupStart) < maxWarmupSeconds && !jitQuiet(compilingShares))) {
            long compiledBefore = JitActivity.millis();
            long epochStart = System.nanoTime();
            // With the measured run's listener: the JIT compiles the round's calls to it before the measured run.
            fit(sc, spec, optimizer, config.withEpochs(1), train, List.of(new Recorder()));
            compilingShares[warmupEpochs % 2] = (JitActivity.millis() - compiledBefore) / 1e3 / elapsed(epochStart);
            warmupEpochs++;
        }
        Recorder recorder = new Recorder();
        fit(sc, spec, optimizer, config, train, List.of(recorder));
        List<RoundMetrics> rounds = recorder.rounds;
        List<EpochMetrics> epochs = recorder.epochs;
        List<ProcessMemory> memory = recorder.memory;
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
                epochs.get(epochs.size() - 1).trainLoss(), List.copyOf(memory), RoundSpread.of(measuredRounds));
    }

    /** Keeps what the training reports: every round, every epoch, and the resident memory after each epoch. */
    private static final class Recorder implements TrainingListener {
        private final List<RoundMetrics> rounds = new ArrayList<>();
        private final List<EpochMetrics> epochs = new ArrayList<>();
        private final List<ProcessMemory> memory = new ArrayList<>();

        @Override
        public void onRound(RoundMetrics m) {
            rounds.add(m);
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            epochs.add(m);
            memory.add(ProcessMemory.current());
        }
    }

    /** Whether the last two warm-up epochs each compiled for at most {@link #QUIET_JIT_SHARE} of their time. */
    private static boolean jitQuiet(double[] lastTwoShares) {
        return lastTwoShares[0] <= QUIET_JIT_SHARE && lastTwoShares[1] <= QUIET_JIT_SHARE;
    }

    private static double elapsed(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void fit(JavaSparkContext sc, NetworkSpec spec, Optimizer optimizer, TrainingConfig config,
                            CachedBlocks train, List<TrainingListener> listeners) {
        Trainer.builder(sc, spec, optimizer, config).listeners(listeners).build().fit(train, null);
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        return median(items.stream().mapToDouble(value).sorted().toArray());
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static <T> double mean(List<T> items, ToDoubleFunction<T> value) {
        return items.stream().mapToDouble(value).average().orElse(Double.NaN);
    }
}
