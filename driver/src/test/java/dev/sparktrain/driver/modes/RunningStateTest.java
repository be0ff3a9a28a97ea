package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Batch-norm running statistics are updated by the workers' forward passes, not by the optimizer: after a round the
 * server holds the sample-weighted mean of the workers' values in every mode, untouched by momentum.
 */
class RunningStateTest {

    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    @Test
    void runningMeanIsTheSampleWeightedMeanOfTheWorkersInEveryMode() {
        // Worker 0: 3 rows with feature means (1, 2); worker 1: 1 row (5, -2). One round covers every row.
        DataBlock a = new DataBlock(3, 2, new float[] {0, 1, 1, 2, 2, 3}, new float[] {0, 1, 0});
        DataBlock b = new DataBlock(1, 2, new float[] {5, -2}, new float[] {1});
        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(a, b), 2), 2, 2, "bn");
        double momentum = 0.9;
        NetworkSpec spec = new NetworkSpec(new Shape(2), List.of(new BatchNorm(momentum, 1e-5),
                new Dense(2, new Identity())), new SoftmaxCrossEntropy());
        // running_mean starts at 0: each worker holds (1 − m)·batch mean; the server their 3:1 weighted mean.
        float[] expected = {(float) ((1 - momentum) * (3 * 1 + 5) / 4.0), (float) ((1 - momentum) * (3 * 2 - 2) / 4.0)};
        Optimizer sgd = Sgd.momentum(0.5, 0.9);
        TrainingConfig sync = TrainingConfig.sync(1, 3, 2, 1);
        for (TrainingConfig config : List.of(sync, sync.withMode(TrainingMode.AVERAGE, 1, InnerStatePolicy.RESET, null),
                sync.withMode(TrainingMode.OUTER, 1, InnerStatePolicy.RESET, Sgd.nesterov(0.7, 0.9)))) {
            Trainer trainer = Trainer.builder(SPARK.sc(), spec, sgd, config).build();
            trainer.fit(data, null);
            ParameterServer server = trainer.server();
            float[] runningMean = spec.layout().view(server.params(), "0.batchnorm.running_mean").toFloatVector();
            assertArrayEquals(expected, runningMean, 1e-6f, config.mode().configName());
        }
    }
}
