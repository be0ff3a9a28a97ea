package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The equivalences between the three modes that follow from their definitions. */
class LocalStepModesTest {

    private static final int FEATURES = 5;
    private static final long SEED = 11;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    @BeforeAll
    static void start() {
        // Unequal partitions, so the means must be weighted by samples.
        data = CachedBlocks.cache(SPARK.sc().parallelize(List.of(block(90, 1), block(50, 2)), 2), 2, FEATURES, "modes");
    }

    private static DataBlock block(int rows, long seed) {
        return TestBlocks.random(rows, FEATURES, 3, 1, seed);
    }

    private static NetworkSpec spec() {
        return new NetworkSpec(new Shape(FEATURES), List.of(new Dense(6, new Relu()), new Dense(3, new Identity())),
                new SoftmaxCrossEntropy());
    }

    private static INDArray train(TrainingConfig config, Optimizer optimizer) {
        NetworkSpec spec = spec();
        Trainer trainer = Trainer.builder(SPARK.sc(), spec, optimizer, config).build();
        trainer.fit(data, null);
        return trainer.server().params();
    }

    private static double relativeDifference(INDArray a, INDArray b) {
        return a.sub(b).norm2Number().doubleValue() / b.norm2Number().doubleValue();
    }

    @Test
    void averageWithOneLocalStepOfPlainSgdEqualsSync() {
        Sgd sgd = Sgd.plain(0.2);
        TrainingConfig sync = TrainingConfig.sync(2, 8, 2, SEED);
        TrainingConfig average = sync.withMode(TrainingMode.AVERAGE, 1, InnerStatePolicy.RESET, null);
        INDArray expected = train(sync, sgd);
        INDArray actual = train(average, sgd);
        assertTrue(relativeDifference(actual, expected) <= 1e-5, "relative difference "
                + relativeDifference(actual, expected));
        assertTrue(relativeDifference(expected, spec().initialParameters(SEED, DataType.FLOAT)) > 1e-2);
    }

    @Test
    void outerWithSgdOfLearningRateOneEqualsAverage() {
        Adam adam = Adam.defaults(0.01);
        for (InnerStatePolicy policy : InnerStatePolicy.values()) {
            TrainingConfig base = TrainingConfig.sync(2, 8, 2, SEED);
            TrainingConfig average = base.withMode(TrainingMode.AVERAGE, 3, policy, null);
            TrainingConfig outer = base.withMode(TrainingMode.OUTER, 3, policy, Sgd.plain(1.0));
            INDArray expected = train(average, adam);
            INDArray actual = train(outer, adam);
            assertTrue(relativeDifference(actual, expected) <= 1e-5, policy + ": relative difference "
                    + relativeDifference(actual, expected));
        }
    }

    @Test
    void innerStatePoliciesAreDifferentAlgorithms() {
        Adam adam = Adam.defaults(0.01);
        TrainingConfig base = TrainingConfig.sync(1, 8, 2, SEED);
        INDArray reset = train(base.withMode(TrainingMode.AVERAGE, 3, InnerStatePolicy.RESET, null), adam);
        INDArray averaged = train(base.withMode(TrainingMode.AVERAGE, 3, InnerStatePolicy.AVERAGE, null), adam);
        INDArray kept = train(base.withMode(TrainingMode.AVERAGE, 3, InnerStatePolicy.KEEP, null), adam);
        assertTrue(relativeDifference(reset, averaged) > 1e-4);
        assertTrue(relativeDifference(kept, averaged) > 1e-4);
        assertTrue(relativeDifference(kept, reset) > 1e-4);
    }

    @Test
    void roundsPerEpochCoverTheLargestPartitionOnce() {
        NetworkSpec spec = spec();
        TrainingConfig config = TrainingConfig.sync(1, 8, 2, SEED).withMode(TrainingMode.AVERAGE, 4,
                InnerStatePolicy.RESET, null);
        // 90 rows / 8 = 12 batches (the last one partial), 4 per round → 3 rounds.
        assertEquals(3, Trainer.builder(SPARK.sc(), spec, Sgd.plain(0.1), config).build().roundsPerEpoch(data));
    }
}
