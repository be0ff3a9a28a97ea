package dev.sparktrain.driver.stopping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

class EarlyStoppingTest {

    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    private static EpochMetrics epoch(int epoch, double trainLoss, double testAccuracy) {
        return new EpochMetrics(epoch, 10, 1, 1, trainLoss, 1, 0, OptionalDouble.of(trainLoss),
                OptionalDouble.of(testAccuracy));
    }

    @Test
    void stopsAfterPatienceEpochsWithoutAnImprovementLargerThanMinDelta() {
        EarlyStopping rule = new EarlyStopping("test_accuracy", 2, 0.01);
        EarlyStopping.State s = EarlyStopping.State.START;
        s = rule.next(s, epoch(1, 1.0, 0.80));
        s = rule.next(s, epoch(2, 0.9, 0.805)); // +0.005 is not an improvement
        assertEquals(1, s.bestEpoch());
        assertTrue(!rule.shouldStop(s));
        s = rule.next(s, epoch(3, 0.8, 0.85));
        assertEquals(3, s.bestEpoch());
        s = rule.next(s, epoch(4, 0.7, 0.84));
        s = rule.next(s, epoch(5, 0.6, 0.845));
        assertTrue(rule.shouldStop(s));
        assertEquals(0.85, s.best());
    }

    @Test
    void invalidSettingsNameTheField() {
        assertEquals("training.early_stopping.patience must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("test_loss", 0, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new EarlyStopping("val_loss", 1, 0))
                .getMessage().startsWith("training.early_stopping.monitor must be one of"));
    }

    @Test
    void theTrainerStopsAndKeepsTheBestEpochsParameters() {
        // Plain SGD on a tiny problem with a learning rate so large that the loss goes up after the first epochs.
        float[] x = {1, 0, 0, 1, 1, 1, -1, 0};
        DataBlock block = new DataBlock(4, 2, x, new float[] {0, 1, 1, 0});
        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(block, block), 2), 2, 2, "early");
        NetworkSpec spec = new NetworkSpec(new Shape(2), List.of(new Dense(2, new Identity())), new SoftmaxCrossEntropy());
        TrainingConfig config = TrainingConfig.sync(10, 4, 2, 1);
        ParameterServer[] server = new ParameterServer[1];
        List<float[]> paramsAfterEpoch = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {
                paramsAfterEpoch.add(server[0].params().toFloatVector());
                losses.add(m.trainLoss());
            }
        };
        Trainer trainer = Trainer.builder(SPARK.sc(), spec, Sgd.plain(0.5), config).listeners(List.of(recorder))
                .stopEarly(new EarlyStopping("train_loss", 1, 10.0)).build(); // nothing improves by 10: stop after epoch 2
        server[0] = trainer.server();
        List<EpochMetrics> history = trainer.fit(data, null);
        assertEquals(2, history.size());
        assertArrayEquals(paramsAfterEpoch.get(0), trainer.bestParams().orElseThrow().toFloatVector());
    }
}
