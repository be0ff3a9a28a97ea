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
 * One scale run on the cluster the Spark context reaches: the real {@link Trainer} for {@code warmup + rounds + 1}
 * rounds of one epoch (blocks sized by {@link FixedRounds}), no evaluation. The first {@code warmup} rounds (the
 * barrier job's start, the JIT) are not measured, nor is the last: the block of rounds ends with it, and a block's end
 * brings every worker's carry (the inner optimizer state under {@code inner_state: keep}) back to the driver, once per
 * block and N carries in all, which no round of the block's steady state pays. The link counters are read when the
 * last warm-up round and the last measured round have been applied, so their difference is exactly the measured
 * rounds' traffic; read once more when the run is over, they give what the trailing round and the block's end moved.
 */
public final class ScaleMeasure {

    /** A run's per-round figures, and what crossed the driver's link from the last measured round to the run's end. */
    public record Measured(ScaleRun run, LinkCounters tail) {
    }

    private ScaleMeasure() {
    }

    public static Measured measure(JavaSparkContext sc, RunConfig run, CachedBlocks loaded, String link,
                                   String exchange, int warmup, int rounds, String device) {
        TrainingConfig training = run.training().withEpochs(1);
        int steps = training.localStepsMode() ? training.localSteps() : 1;
        int all = warmup + rounds + 1;
        CachedBlocks blocks = FixedRounds.of(loaded,
                FixedRounds.rowsFor(all, training.batchSizePerWorker(), steps));
        List<RoundMetrics> measured = new ArrayList<>();
        LinkCounters[] marks = new LinkCounters[2];
        TrainingListener listener = new TrainingListener() {
            private int done;

            /** The counters must be read between rounds, with no round's traffic in flight. */
            @Override
            public boolean needsRoundsBetweenRounds() {
                return true;
            }

            @Override
            public void onRound(RoundMetrics m) {
                done++;
                if (done == warmup) {
                    marks[0] = LinkCounters.read(device);
                } else if (done > warmup && done <= warmup + rounds) {
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
        LinkCounters tail = LinkCounters.read(device).minus(marks[1]);
        return new Measured(new ScaleRun(training.workers(), link, training.mode().configName(), exchange,
                run.model().layout().totalLength(), rounds, mean(measured, RoundMetrics::seconds),
                mean(measured, RoundMetrics::computeSeconds), mean(measured, RoundMetrics::driverSeconds),
                traffic.receivedBytes() / (double) rounds, traffic.sentBytes() / (double) rounds), tail);
    }

    private static double mean(List<RoundMetrics> rounds, java.util.function.ToDoubleFunction<RoundMetrics> f) {
        return rounds.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
