package dev.sparktrain.jobs.bench.scale;

import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.jobs.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One scale run on the cluster the Spark context reaches: the real {@link Trainer} for {@code warmup + rounds} rounds
 * of one epoch (blocks sized by {@link FixedRounds}), no evaluation. The first {@code warmup} rounds (the barrier job's
 * start, the JIT) are not measured; the link counters are read when the last warm-up round and the last round have
 * been applied, so their difference is exactly the measured rounds' traffic.
 */
public final class ScaleMeasure {

    private ScaleMeasure() {
    }

    public static ScaleRun measure(JavaSparkContext sc, RunConfig run, CachedBlocks loaded, String link,
                                   String exchange, int warmup, int rounds, String device) {
        TrainingConfig training = run.training().withEpochs(1);
        int steps = training.localStepsMode() ? training.localSteps() : 1;
        CachedBlocks blocks = FixedRounds.of(loaded,
                FixedRounds.rowsFor(warmup + rounds, training.batchSizePerWorker(), steps));
        List<RoundMetrics> measured = new ArrayList<>();
        LinkCounters[] marks = new LinkCounters[2];
        TrainingListener listener = new TrainingListener() {
            private int done;

            @Override
            public void onRound(RoundMetrics m) {
                done++;
                if (done == warmup) {
                    marks[0] = LinkCounters.read(device);
                } else if (done > warmup) {
                    measured.add(m);
                    if (done == warmup + rounds) {
                        marks[1] = LinkCounters.read(device);
                    }
                }
            }
        };
        if (warmup == 0) {
            marks[0] = LinkCounters.read(device);
        }
        try {
            Trainer.builder(sc, run.model(), run.optimizer(), training).listeners(List.of(listener)).build()
                    .fit(blocks, null);
        } finally {
            blocks.release();
        }
        if (measured.size() != rounds || marks[1] == null) {
            throw new IllegalStateException("the scale run did " + measured.size() + " measured rounds, expected "
                    + rounds);
        }
        LinkCounters traffic = marks[1].minus(marks[0]);
        return new ScaleRun(training.workers(), link, training.mode().configName(), exchange,
                run.model().layout().totalLength(), rounds, mean(measured, RoundMetrics::seconds),
                mean(measured, RoundMetrics::computeSeconds), mean(measured, RoundMetrics::driverSeconds),
                traffic.receivedBytes() / (double) rounds, traffic.sentBytes() / (double) rounds);
    }

    private static double mean(List<RoundMetrics> rounds, java.util.function.ToDoubleFunction<RoundMetrics> f) {
        return rounds.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
