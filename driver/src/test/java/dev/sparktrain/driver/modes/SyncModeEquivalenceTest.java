package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synchronous training on local[2] equals single-process training on the same global batches. */
class SyncModeEquivalenceTest {

    private static final int FEATURES = 6;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;
    private static final long SEED = 7;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    private static NetworkSpec spec() {
        return new NetworkSpec(new Shape(FEATURES), List.of(new Dense(8, new Relu()), new Dense(CLASSES,
                new Identity())), new SoftmaxCrossEntropy());
    }

    private static DataBlock randomBlock(int rows, long seed) {
        return TestBlocks.random(rows, FEATURES, CLASSES, 1.5, seed);
    }

    @Test
    void tenSyncRoundsOnTwoWorkersEqualSingleProcessTrainingOnTheGlobalBatch() {
        // Unequal partitions: the second runs out after 7 rounds (100 rows = 6 full batches + 4), so rounds 6..9
        // are weighted 16:4 and then 16:0 — a plain average of worker means would differ.
        List<DataBlock> blocks = List.of(randomBlock(160, 1), randomBlock(100, 2));
        NetworkSpec spec = spec();
        INDArray init = spec.initialParameters(SEED, DataType.FLOAT);
        Adam adam = Adam.defaults(0.01);

        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(blocks, 2), 2, FEATURES, "equivalence");
        TrainingConfig config = TrainingConfig.sync(1, BATCH, 2, SEED);
        Trainer trainer = Trainer.builder(SPARK.sc(), spec, adam, config).build();
        ParameterServer server = trainer.server();
        assertEquals(10, trainer.roundsPerEpoch(data));
        List<EpochMetrics> history = trainer.fit(data, null);
        assertEquals(260, history.get(0).samples());

        INDArray expected = singleProcess(spec, init, adam, blocks, 10);
        INDArray actual = server.params();
        double relative = actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(relative <= 1e-5, "relative difference " + relative);
        assertTrue(actual.sub(init).norm2Number().doubleValue() > 0.01, "parameters must have moved");
    }

    /** The same rounds on one machine: each round's global batch is the concatenation of the workers' batches. */
    private static INDArray singleProcess(NetworkSpec spec, INDArray init, Optimizer optimizer, List<DataBlock> blocks,
                                          int rounds) {
        INDArray params = init.dup();
        OptimizerState state = optimizer.init(params);
        for (int round = 0; round < rounds; round++) {
            List<INDArray> xs = new java.util.ArrayList<>();
            List<INDArray> ys = new java.util.ArrayList<>();
            for (int p = 0; p < blocks.size(); p++) {
                DataBlock block = blocks.get(p);
                int from = round * BATCH;
                int rows = Math.min(BATCH, block.rows() - from);
                if (rows > 0) {
                    Batch b = Batch.gather(block, Shuffle.order(SEED, 1, p, block.rows()), from, rows);
                    xs.add(b.features());
                    ys.add(b.labels());
                }
            }
            INDArray x = Nd4j.concat(0, xs.toArray(INDArray[]::new));
            INDArray y = Nd4j.concat(0, ys.toArray(INDArray[]::new));
            Network network = new Network(spec, params.dup());
            network.computeGradient(x, y, ForwardContext.training(0));
            Optimizer.Step step = optimizer.step(network.gradient(), state, params);
            params = step.params();
            state = step.state();
        }
        return params;
    }
}
