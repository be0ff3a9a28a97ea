package dev.sparktrain.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.checkpoint.CheckpointPolicy;
import dev.sparktrain.driver.checkpoint.TrainingCheckpoints;
import dev.sparktrain.driver.data.Augmentation;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.ImageAugmenter;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.driver.inprocess.InProcessTrainer;
import dev.sparktrain.driver.listen.RoundMetrics;
import dev.sparktrain.driver.listen.TrainingListener;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.GlobalAvgPool;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.checkpoint.CheckpointStore;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training with augmented images: {@code sync} on local[2] (both transports) gives bitwise the single-process
 * trainer's parameters and matches a hand-built run on the augmented global batches; {@code average} on Spark equals
 * the in-process trainer; a stopped and resumed run equals the uninterrupted one.
 */
class AugmentedTrainingTest {

    private static final Shape IMAGE = new Shape(2, 6, 6);
    private static final int SIZE = (int) IMAGE.size();
    private static final int CLASSES = 3;
    private static final int BATCH = 8;
    private static final long SEED = 23;
    private static final Augmentation CROP_AND_FLIP = new Augmentation(2, true);
    private static final NetworkSpec SPEC = new NetworkSpec(IMAGE, List.of(
            new Conv2d(4, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true, new Relu(),
                    WeightInit.HE_NORMAL),
            new GlobalAvgPool(), new Dense(CLASSES, new Identity())), new SoftmaxCrossEntropy());
    private static final Adam ADAM = Adam.defaults(0.02);
    /** Unequal partitions: the second's rows start at global row 40, and it runs out of batches first. */
    private static final List<DataBlock> BLOCKS = List.of(TestBlocks.random(40, SIZE, CLASSES, 2, 1),
            TestBlocks.random(28, SIZE, CLASSES, 2, 2));
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension();
    private static CachedBlocks data;

    @BeforeAll
    static void start() {
        data = CachedBlocks.cache(SPARK.sc().parallelize(BLOCKS, 2), 2, SIZE, "augmented");
    }

    private static TrainingConfig sync(int epochs) {
        return TrainingConfig.sync(epochs, BATCH, 2, SEED).withAugmentation(CROP_AND_FLIP);
    }

    private static float[] sparkRun(TrainingConfig config) {
        Trainer trainer = Trainer.builder(SPARK.sc(), SPEC, ADAM, config).build();
        trainer.fit(data, null);
        return trainer.server().params().toFloatVector();
    }

    private static float[] inProcess(TrainingConfig config) {
        return InProcessTrainer.fit(SPEC, ADAM, config, BLOCKS).params().toFloatVector();
    }

    @Test
    void syncOnSparkEqualsTheSingleProcessTrainerAndTheAugmentedGlobalBatches() {
        TrainingConfig config = sync(2);
        float[] job = sparkRun(config);
        assertArrayEquals(inProcess(config), job, "job transport against in process");
        assertArrayEquals(job, sparkRun(config.withTransport(RoundTransport.CHANNEL)), "channel against job");

        float[] expected = handBuilt(2);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (job[i] - expected[i]) * (double) (job[i] - expected[i]);
            norm += expected[i] * (double) expected[i];
        }
        assertTrue(Math.sqrt(diff / norm) <= 1e-5, "relative difference " + Math.sqrt(diff / norm));
        // Augmentation changes the run: a trainer that ignored it would give other parameters.
        assertFalse(java.util.Arrays.equals(job, inProcess(config.withAugmentation(Augmentation.NONE))),
                "augmented training must differ from plain training");
    }

    @Test
    void averageModeOnSparkEqualsTheSingleProcessTrainer() {
        TrainingConfig config = sync(2).withMode(TrainingMode.AVERAGE, 2, InnerStatePolicy.AVERAGE, null);
        assertArrayEquals(inProcess(config), sparkRun(config));
    }

    @Test
    void aStoppedAndResumedAugmentedRunEqualsTheUninterruptedOne(@TempDir Path dir) {
        TrainingConfig config = sync(3);
        CheckpointPolicy policy = new CheckpointPolicy(1, 2, 2);
        float[] uninterrupted = sparkRun(config);
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onRound(RoundMetrics m) {
                if (m.epoch() == 2 && m.round() == 3) {
                    throw new IllegalStateException("simulated driver crash");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> checkpointed(config, dir, policy, List.of(crash))
                .fit(data, null));
        Trainer resumed = checkpointed(config, dir, policy, List.of());
        resumed.resume(new CheckpointStore(dir, policy.keep()).latest().orElseThrow(), data, null);
        assertArrayEquals(uninterrupted, resumed.server().params().toFloatVector());
    }

    @Test
    void aTrainerRefusesAugmentationOfVectors() {
        NetworkSpec mlp = new NetworkSpec(new Shape(SIZE), List.of(new Dense(CLASSES, new Identity())),
                new SoftmaxCrossEntropy());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder(SPARK.sc(), mlp, ADAM, sync(1)).build());
        assertEquals("data.augment needs image inputs, model.input_shape [C, H, W], got input_shape [72]",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InProcessTrainer.fit(mlp, ADAM, sync(1), BLOCKS));
    }

    private static Trainer checkpointed(TrainingConfig config, Path dir, CheckpointPolicy policy,
                                        List<TrainingListener> listeners) {
        TrainingCheckpoints store = new TrainingCheckpoints(new CheckpointStore(dir, policy.keep()),
                Map.of("model", "cnn", "training", "sync"), config.seed());
        return Trainer.builder(SPARK.sc(), SPEC, ADAM, config).listeners(listeners).checkpointTo(store, policy).build();
    }

    /**
     * The rounds on one machine: each round's global batch is the workers' batches in partition order, every row
     * augmented from its global index (partition 1's rows start at 40) with {@link ImageAugmenter#transform}.
     */
    private static float[] handBuilt(int epochs) {
        INDArray params = SPEC.initialParameters(SEED, DataType.FLOAT);
        OptimizerState state = ADAM.init(params);
        ImageAugmenter augmenter = new ImageAugmenter(CROP_AND_FLIP, IMAGE, SEED);
        long[] firstRow = {0, BLOCKS.get(0).rows()};
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int round = 0; round * BATCH < BLOCKS.get(0).rows(); round++) {
                List<float[]> xs = new ArrayList<>();
                List<Float> ys = new ArrayList<>();
                for (int p = 0; p < BLOCKS.size(); p++) {
                    DataBlock block = BLOCKS.get(p);
                    int[] order = Shuffle.order(SEED, epoch, p, block.rows());
                    for (int i = round * BATCH; i < Math.min((round + 1) * BATCH, block.rows()); i++) {
                        int row = order[i];
                        ImageAugmenter.Placement at = augmenter.placement(epoch, firstRow[p] + row);
                        float[] image = new float[SIZE];
                        ImageAugmenter.transform(block.features(), row * SIZE, image, 0, 2, 6, 6,
                                CROP_AND_FLIP.cropPadding(), at.rowOffset(), at.columnOffset(), at.flipped());
                        xs.add(image);
                        ys.add(block.labels()[row]);
                    }
                }
                float[] x = new float[xs.size() * SIZE];
                float[] y = new float[xs.size()];
                for (int i = 0; i < xs.size(); i++) {
                    System.arraycopy(xs.get(i), 0, x, i * SIZE, SIZE);
                    y[i] = ys.get(i);
                }
                Network network = new Network(SPEC, params.dup());
                network.computeGradient(Nd4j.create(x, new long[] {y.length, SIZE}, 'c'), Nd4j.createFromArray(y),
                        ForwardContext.training(0));
                Optimizer.Step step = ADAM.step(network.gradient(), state, params);
                params = step.params();
                state = step.state();
            }
        }
        return params.toFloatVector();
    }
}
