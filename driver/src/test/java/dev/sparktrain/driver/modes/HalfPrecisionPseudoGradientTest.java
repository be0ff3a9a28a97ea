package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeConfig;
import dev.sparktrain.driver.RoundTransport;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.aggregate.WirePrecision;
import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.CachedBlocks;
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
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Sgd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code average} and {@code outer} rounds whose pseudo-gradients travel in bf16 or fp16 with error feedback: they
 * learn as float32 rounds do, they are deterministic over every transport, and the residual each worker carries
 * survives blocks cut by checkpoints.
 */
class HalfPrecisionPseudoGradientTest {

    private static final int FEATURES = 5;
    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(16, new Relu()), new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.01);
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    @BeforeAll
    static void start() {
        data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(TestBlocks.random(300, FEATURES, 3, 2, 1),
                TestBlocks.random(220, FEATURES, 3, 2, 2)), 2), 2, FEATURES, "half");
    }

    private static List<TrainingConfig> configs(WirePrecision precision) {
        TrainingConfig base = TrainingConfig.sync(4, 16, 2, 21);
        return List.of(
                base.withMode(TrainingMode.AVERAGE, 4, InnerStatePolicy.KEEP, null),
                base.withMode(TrainingMode.OUTER, 4, InnerStatePolicy.RESET, Sgd.nesterov(0.7, 0.9)))
                .stream().map(c -> c.withExchange(ExchangeConfig.defaults().withPseudoGradient(precision))).toList();
    }

    /** Trains; returns the final parameters, and the last epoch's training loss in {@code loss[0]}. */
    private static float[] train(TrainingConfig config, double[] loss, Path checkpoints) {
        List<Double> losses = new ArrayList<>();
        TrainingListener epochLosses = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
            }

            @Override
            public void onEpoch(EpochMetrics m) {
                losses.add(m.trainLoss());
            }
        };
        Trainer.Builder builder = Trainer.builder(SPARK.sc(), SPEC, ADAM, config).listeners(List.of(epochLosses));
        if (checkpoints != null) {
            builder.checkpointTo(new TrainingCheckpoints(new CheckpointStore(checkpoints, 2), Map.of("model", "half"),
                    config.seed()), new CheckpointPolicy(1, 2, 2));
        }
        Trainer trainer = builder.build();
        trainer.fit(data, null);
        if (loss != null) {
            loss[0] = losses.get(losses.size() - 1);
        }
        return trainer.server().params().toFloatVector();
    }

    @Test
    void sixteenBitPseudoGradientsLearnAsFloat32Does() {
        List<TrainingConfig> float32 = configs(WirePrecision.FLOAT32);
        for (WirePrecision precision : new WirePrecision[] {WirePrecision.BF16, WirePrecision.FP16}) {
            List<TrainingConfig> halves = configs(precision);
            for (int i = 0; i < halves.size(); i++) {
                double[] full = new double[1];
                double[] half = new double[1];
                float[] fullParams = train(float32.get(i).withTransport(RoundTransport.CHANNEL), full, null);
                float[] halfParams = train(halves.get(i).withTransport(RoundTransport.CHANNEL), half, null);
                String name = halves.get(i).mode().configName() + " " + precision.configName();
                assertFalse(java.util.Arrays.equals(fullParams, halfParams), name + " must change what is sent");
                assertTrue(full[0] < 0.6, "float32 " + name + " learns: loss " + full[0]);
                assertEquals(full[0], half[0], 0.02 * full[0], name + " loses little against float32");
            }
        }
    }

    @Test
    void runsAreDeterministicOverEveryTransportAndAcrossCheckpointedBlocks(@TempDir Path dir) {
        int run = 0;
        for (TrainingConfig config : configs(WirePrecision.BF16)) {
            float[] job = train(config.withTransport(RoundTransport.JOB), null, null);
            float[] channel = train(config.withTransport(RoundTransport.CHANNEL), null, null);
            // Blocks cut every two rounds: each worker's residual goes to the driver and back between them.
            float[] cut = train(config.withTransport(RoundTransport.CHANNEL), null, dir.resolve("run" + run++));
            assertArrayEquals(job, channel, config.mode().configName());
            assertArrayEquals(channel, cut, config.mode().configName() + " with checkpoints every two rounds");
        }
    }
}
