package dev.sparktrain.driver.exchange;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
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

    /**
     * That the epoch ran rounds 0 .. {@code round}, lost its job, and ran all its {@code rounds} again from round 0.
     * The channel reports a round while the next one computes, so the cancel lands during round {@code round} + 1,
     * which completes when its workers had answered before the job ended (the result is in the driver's queue or
     * socket); the rerun gives the same parameters either way.
     */
    void assertRanAgainFromTheStart(int rounds) {
        int rerun = roundsSeen.lastIndexOf(0);
        assertEquals(IntStream.range(0, rounds).boxed().toList(), roundsSeen.subList(rerun, roundsSeen.size()),
                "the rerun: " + roundsSeen);
        List<Integer> lost = roundsSeen.subList(0, rerun);
        assertTrue(lost.equals(IntStream.rangeClosed(0, round).boxed().toList())
                || lost.equals(IntStream.rangeClosed(0, round + 1).boxed().toList()), "before the loss: " + roundsSeen);
    }
}
