package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A NaN in one partition's data stops the run in the round that met it, naming it, and applies nothing. */
class NonFiniteLossTest {

    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    @Test
    void nanInOnePartitionStopsTheRunNamingEpochRoundAndPartition() {
        float[] clean = new float[20 * 2];
        float[] poisoned = new float[20 * 2];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = (i % 7) / 7f;
            poisoned[i] = (i % 5) / 5f;
        }
        poisoned[2 * 13] = Float.NaN; // row 13 of partition 1
        List<DataBlock> blocks = List.of(new DataBlock(20, 2, clean, new float[20]),
                new DataBlock(20, 2, poisoned, new float[20]));
        NetworkSpec spec = new NetworkSpec(new Shape(2), List.of(new Dense(2, new Identity())), new SoftmaxCrossEntropy());
        INDArray init = spec.initialParameters(3, DataType.FLOAT);
        // batch 20 = the whole partition: the first round of epoch 1 meets the NaN whatever the shuffle.
        TrainingConfig config = TrainingConfig.sync(2, 20, 2, 3);
        Trainer trainer = Trainer.builder(SPARK.sc(), spec, Adam.defaults(0.01), config).build();
        ParameterServer server = trainer.server();
        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(blocks, 2), 2, 2, "nan");

        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(data, null));
        assertEquals("non-finite loss or gradient in epoch 1, round 1, partition 1: nothing of this round was applied"
                + " (check the data for NaN/infinite values, or lower the learning rate)", e.getMessage());
        assertEquals(0, server.version());
        assertEquals(init, server.params());
    }
}
