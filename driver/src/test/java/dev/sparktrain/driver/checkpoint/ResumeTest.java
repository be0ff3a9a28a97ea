package dev.sparktrain.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeConfig;
import dev.sparktrain.driver.ModeSetup;
import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Sgd;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** A run stopped in the middle and resumed from its last checkpoint ends with bitwise the same parameters. */
class ResumeTest {

    private static final int FEATURES = 4;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    @BeforeAll
    static void start() {
        data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(block(70, 1), block(45, 2)), 2), 2, FEATURES,
                "resume");
    }

    private static DataBlock block(int rows, long seed) {
        return TestBlocks.random(rows, FEATURES, 3, 1, seed);
    }

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(5, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.02);

    /**
     * Stops the run like a crash: right after the given round's update (and any checkpoint it triggered), or with
     * {@code round} -1 right after the epoch (its checkpoint included).
     */
    private record CrashAfter(int epoch, int round) implements TrainingListener {
        @Override
        public void onRound(RoundMetrics m) {
            if (m.epoch() == epoch && m.round() == round) {
                throw new IllegalStateException("simulated driver crash");
            }
        }

        @Override
        public void onEpoch(EpochMetrics m) {
            if (m.epoch() == epoch && round < 0) {
                throw new IllegalStateException("simulated driver crash");
            }
        }
    }

    private static Trainer trainer(TrainingConfig config, Path dir, CheckpointPolicy policy,
                                   List<TrainingListener> listeners) {
        TrainingCheckpoints store = new TrainingCheckpoints(new CheckpointStore(dir, policy.keep()),
                Map.of("model", "mlp", "training", config.mode().configName()), config.seed());
        return Trainer.builder(SPARK.sc(), SPEC, ADAM, config).listeners(listeners).checkpointTo(store, policy).build();
    }

    private void stopAndResumeEqualsUninterrupted(TrainingConfig config, CheckpointPolicy policy, int crashEpoch,
                                                  int crashRound, Path dir) {
        Trainer full = trainer(config, dir.resolve("full"), policy, List.of());
        List<EpochMetrics> fullHistory = full.fit(data, null);
        ParameterServer uninterrupted = full.server();

        Path runDir = dir.resolve("stopped");
        assertThrows(IllegalStateException.class, () -> trainer(config, runDir, policy,
                List.of(new CrashAfter(crashEpoch, crashRound))).fit(data, null));
        Trainer resumed = trainer(config, runDir, policy, List.of());
        ParameterServer second = resumed.server();
        Path latest = new CheckpointStore(runDir, policy.keep()).latest().orElseThrow();
        List<EpochMetrics> rest = resumed.resume(latest, data, null);

        assertArrayEquals(uninterrupted.params().toFloatVector(), second.params().toFloatVector(),
                "parameters after resume must be bitwise equal");
        assertEquals(uninterrupted.version(), second.version());
        EpochMetrics lastFull = fullHistory.get(fullHistory.size() - 1);
        EpochMetrics lastResumed = rest.get(rest.size() - 1);
        assertEquals(lastFull.trainLoss(), lastResumed.trainLoss(), 0.0);
        assertEquals(lastFull.samples(), lastResumed.samples());
    }

    @Test
    void syncRunStoppedAfterEpochTwoOfFourAndResumedEqualsTheUninterruptedRun(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.sync(4, 16, 2, 5);
        stopAndResumeEqualsUninterrupted(config, CheckpointPolicy.defaults(), 2, -1, dir);
    }

    @Test
    void averageRunWithPerWorkerStateStoppedMidEpochAndResumedEqualsTheUninterruptedRun(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.sync(3, 8, 2, 9).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null);
        // 70 rows / 8 = 9 batches, 2 per round → 5 rounds; checkpoints every 2 rounds; crash after round 3 of
        // epoch 2 (its checkpoint after round 1 + the one at the end of round 3).
        stopAndResumeEqualsUninterrupted(config, new CheckpointPolicy(1, 2, 2), 2, 3, dir);
    }

    @Test
    void outerRunWithBf16PseudoGradientsStoppedMidEpochAndResumedEqualsTheUninterruptedRun(@TempDir Path dir) {
        // Nothing but the workers' error-feedback residuals is carried: the checkpoint must hold them.
        TrainingConfig config = TrainingConfig.sync(3, 8, 2, 13).withMode(TrainingMode.OUTER, 2,
                InnerStatePolicy.RESET, Sgd.nesterov(0.7, 0.5)).withTransport(RoundTransport.CHANNEL)
                .withExchange(ExchangeConfig.defaults().withPseudoGradient(WirePrecision.BF16));
        stopAndResumeEqualsUninterrupted(config, new CheckpointPolicy(1, 2, 2), 2, 3, dir);
    }

    @Test
    void averageRunOverTheChannelStoppedMidEpochAndResumedEqualsTheUninterruptedRun(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.sync(3, 8, 2, 9).withMode(TrainingMode.AVERAGE, 2,
                InnerStatePolicy.KEEP, null).withTransport(RoundTransport.CHANNEL);
        stopAndResumeEqualsUninterrupted(config, new CheckpointPolicy(1, 2, 2), 2, 3, dir);
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused(@TempDir Path dir) {
        TrainingConfig config = TrainingConfig.sync(1, 16, 2, 5);
        trainer(config, dir, CheckpointPolicy.defaults(), List.of()).fit(data, null);
        Path latest = new CheckpointStore(dir, 3).latest().orElseThrow();
        TrainingCheckpoints other = new TrainingCheckpoints(new CheckpointStore(dir, 3),
                Map.of("model", "cnn", "training", "sync"), 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.restore(latest, ModeSetup.server(SPEC, ADAM, config)));
        assertTrue(e.getMessage().startsWith("checkpoint " + latest + " does not fit this config: model is mlp in"
                + " the run, cnn now;"), e.getMessage());
    }
}
