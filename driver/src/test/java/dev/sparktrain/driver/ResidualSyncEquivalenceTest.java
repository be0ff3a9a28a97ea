package dev.sparktrain.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.GlobalAvgPool;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Residual;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Synchronous training of a residual CNN on local[2] (conv, max-pool, an identity block and a projection block with
 * stride 2) equals single-process training on the same global batches. Without batch-norm: its statistics over each
 * worker's half batch differ from those over the global batch by design.
 */
class ResidualSyncEquivalenceTest {

    private static final Shape IMAGE = new Shape(1, 8, 8);
    private static final int CLASSES = 3;
    private static final int BATCH = 8;
    private static final long SEED = 11;
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();

    private static Conv2d conv(int filters, int stride) {
        return new Conv2d(filters, Size2.square(3), Size2.square(stride), Padding.SAME, Size2.square(1), true,
                new Relu(), WeightInit.HE_NORMAL);
    }

    private static NetworkSpec spec() {
        Residual identity = new Residual(List.of(conv(4, 1), conv(4, 1)), Residual.Shortcut.AUTO, new Relu(), false,
                WeightInit.HE_NORMAL);
        Residual projection = new Residual(List.of(conv(6, 2), conv(6, 1)), Residual.Shortcut.AUTO, new Tanh(), false,
                WeightInit.HE_NORMAL);
        return new NetworkSpec(IMAGE, List.of(conv(4, 1), Pool2d.max(2), identity, projection, new GlobalAvgPool(),
                new Dense(CLASSES, new Identity())), new SoftmaxCrossEntropy());
    }

    @Test
    void sixSyncRoundsOfAResidualNetworkEqualSingleProcessTraining() {
        List<DataBlock> blocks = List.of(TestBlocks.random(48, (int) IMAGE.size(), CLASSES, 1.5, 1),
                TestBlocks.random(36, (int) IMAGE.size(), CLASSES, 1.5, 2));
        NetworkSpec spec = spec();
        INDArray init = spec.initialParameters(SEED, DataType.FLOAT);
        Adam adam = Adam.defaults(0.01);

        CachedBlocks data = CachedBlocks.cache(SPARK.sc().parallelize(blocks, 2), 2, (int) IMAGE.size(), "residual");
        Trainer trainer = Trainer.builder(SPARK.sc(), spec, adam, TrainingConfig.sync(1, BATCH, 2, SEED)).build();
        ParameterServer server = trainer.server();
        assertEquals(6, trainer.roundsPerEpoch(data));
        List<EpochMetrics> history = trainer.fit(data, null);
        assertEquals(84, history.get(0).samples());

        INDArray expected = singleProcess(spec, init, adam, blocks, 6);
        INDArray actual = server.params();
        double relative = actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(relative <= 1e-5, "relative difference " + relative);
        assertTrue(actual.sub(init).norm2Number().doubleValue() > 0.01, "parameters must have moved");
    }

    /** Each round's global batch is the concatenation of the workers' batches, in partition order. */
    private static INDArray singleProcess(NetworkSpec spec, INDArray init, Optimizer optimizer, List<DataBlock> blocks,
                                          int rounds) {
        INDArray params = init.dup();
        OptimizerState state = optimizer.init(params);
        for (int round = 0; round < rounds; round++) {
            List<INDArray> xs = new ArrayList<>();
            List<INDArray> ys = new ArrayList<>();
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
            Network network = new Network(spec, params.dup());
            network.computeGradient(Nd4j.concat(0, xs.toArray(INDArray[]::new)),
                    Nd4j.concat(0, ys.toArray(INDArray[]::new)), ForwardContext.training(0));
            Optimizer.Step step = optimizer.step(network.gradient(), state, params);
            params = step.params();
            state = step.state();
        }
        return params;
    }
}
