package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Cancels the running block's Spark job once, after the given round, and waits until Spark has ended it: a lost
 * block, as the channel's tests provoke it. Records the rounds of that epoch it saw.
 */
final class CancelBlockOnce implements TrainingListener {
    private final JavaSparkContext sc;
    private final int epoch;
    private final int round;
    final List<Integer> roundsSeen = new ArrayList<>();
    private boolean done;

    CancelBlockOnce(JavaSparkContext sc, int epoch, int round) {
        this.sc = sc;
        this.epoch = epoch;
        this.round = round;
    }

    @Override
    public void onRound(RoundMetrics m) {
        if (m.epoch() == epoch) {
            roundsSeen.add(m.round());
        }
        if (!done && m.epoch() == epoch && m.round() == round) {
            done = true;
            sc.cancelAllJobs();
            while (sc.statusTracker().getActiveJobIds().length > 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void onEpoch(EpochMetrics m) {
    }
}
