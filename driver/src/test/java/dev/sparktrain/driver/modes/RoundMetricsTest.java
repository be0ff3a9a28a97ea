package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Scheduled;
import dev.sparktrain.ps.optim.Sgd;
import dev.sparktrain.ps.schedule.StepDecay;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

/** The per-round metrics say what the round did (learning rate, norms) and what it cost (times, bytes). */
class RoundMetricsTest {

    private static final int FEATURES = 5;
    private static final int CLASSES = 3;
    private static final long SEED = 11;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(7, new Tanh()), new Dense(CLASSES, new Identity())), new SoftmaxCrossEntropy());

    /** 48 and 24 rows: with 8 per worker the second partition runs dry after 3 of 6 rounds. */
    private static CachedBlocks data() {
        return CachedBlocks.cache(SPARK.sc().parallelize(List.of(TestBlocks.random(48, FEATURES, CLASSES, 1.5, 1),
                TestBlocks.random(24, FEATURES, CLASSES, 1.5, 2)), 2), 2, FEATURES, "round-metrics");
    }

    private static List<RoundMetrics> rounds(TrainingConfig config, Optimizer workers, Optimizer driver) {
        List<RoundMetrics> seen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
                seen.add(m);
            }
        };
        Trainer trainer = Trainer.builder(SPARK.sc(), SPEC, workers, config).listeners(List.of(listener)).build();
        assertEquals(driver, trainer.server().optimizer(), "the driver applies the mode's optimizer");
        trainer.fit(data(), null);
        return seen;
    }

    private static void assertCostsAddUp(RoundMetrics m) {
        assertTrue(m.computeSeconds() > 0, "compute time measured: " + m);
        assertTrue(m.jobSeconds() + 1e-9 >= m.fetchSeconds() + m.computeSeconds(), "tasks run inside the job: " + m);
        assertEquals(m.jobSeconds(), m.fetchSeconds() + m.computeSeconds() + m.sparkSeconds(), 1e-9, m.toString());
        assertTrue(m.broadcastSeconds() + m.jobSeconds() + m.driverSeconds() <= m.seconds() + 1e-9,
                "parts within the round's wall time: " + m);
    }

    @Test
    void syncRoundsReportTheScheduledRateTheGradientNormAndTheirCosts() {
        // Plain SGD steps by lr·g, so the update norm is the scheduled rate times the gradient norm.
        Scheduled sgd = new Scheduled(Sgd.plain(0.5), new StepDecay(4, 0.1));
        List<RoundMetrics> rounds = rounds(TrainingConfig.sync(2, 8, 2, SEED), sgd, sgd);
        assertEquals(12, rounds.size());
        long length = SPEC.layout().totalLength();
        for (int i = 0; i < rounds.size(); i++) {
            RoundMetrics m = rounds.get(i);
            double lr = i < 4 ? 0.5 : i < 8 ? 0.05 : 0.005;
            assertEquals(lr, m.learningRate(), 1e-12, "round " + i);
            assertTrue(m.gradientNorm() > 0, m.toString());
            assertEquals(lr * m.gradientNorm(), m.updateNorm(), 1e-5 * m.updateNorm(), "round " + i);
            assertTrue(m.updateRatio() > 0 && m.updateRatio() < 1, m.toString());
            assertEquals(4 * length, m.broadcastBytes(), "one float vector broadcast");
            int workers = m.round() < 3 ? 2 : 1;
            assertEquals(workers * 4 * length, m.resultBytes(), "one gradient per non-empty partition, round " + i);
            assertCostsAddUp(m);
        }
    }

    @Test
    void outerRoundsReportThePseudoGradientAndTheInnerRate() {
        TrainingConfig config = TrainingConfig.sync(1, 8, 2, SEED).withMode(TrainingMode.OUTER, 2,
                InnerStatePolicy.AVERAGE, Sgd.plain(0.25));
        Optimizer inner = new Sgd(0.1, 0.9, false);
        List<RoundMetrics> rounds = rounds(config, inner, config.outerOptimizer());
        assertEquals(3, rounds.size());
        long length = SPEC.layout().totalLength();
        for (RoundMetrics m : rounds) {
            assertEquals(0.1, m.learningRate(), 1e-12, "the workers' rate");
            // Outer SGD with lr 0.25 moves a quarter of the way along the pseudo-gradient θ − mean(θ_workers).
            assertEquals(0.25 * m.gradientNorm(), m.updateNorm(), 1e-5 * m.updateNorm(), m.toString());
            assertEquals(2 * 4 * length, m.broadcastBytes(), "parameters and the averaged momentum slot");
            assertCostsAddUp(m);
        }
        // Both partitions train in rounds 0 and 1 and send parameters plus their momentum slot; the smaller one
        // (3 batches) has none left for round 2.
        assertEquals(2 * 2 * 4 * length, rounds.get(0).resultBytes());
        assertEquals(2 * 4 * length, rounds.get(2).resultBytes());
    }
}
