package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.driver.ExchangeTopology;
import dev.sparktrain.driver.SparkContextExtension;
import dev.sparktrain.driver.Trainer;
import dev.sparktrain.driver.TrainingConfig;
import dev.sparktrain.driver.TrainingMode;
import dev.sparktrain.driver.data.CachedBlocks;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.InnerStatePolicy;
import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.optim.Adam;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Spark may run a task again anywhere: tasks are pure functions of their inputs, so a run whose tasks fail and are
 * retried ends with bitwise the same parameters as a run without failures. Also: an empty partition contributes
 * nothing and breaks nothing.
 */
class TaskRetryTest {

    private static final int FEATURES = 3;
    /** local[2, 4]: two threads, and a failed task is tried up to 4 times. */
    @RegisterExtension
    static final SparkContextExtension SPARK = new SparkContextExtension(Map.of("spark.master", "local[2,4]"));
    /** Counts injected failures; local mode runs tasks in this JVM, so the test can see it. */
    static final AtomicInteger FAILURES = new AtomicInteger();

    private static DataBlock block(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * FEATURES];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(2);
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) (r.nextGaussian() + y[i]);
            }
        }
        return new DataBlock(rows, FEATURES, x, y);
    }

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(FEATURES),
            List.of(new Dense(4, new Relu()), new Dense(2, new Identity())), new SoftmaxCrossEntropy());

    private static float[] train(CachedBlocks data, TrainingConfig config) {
        Adam adam = Adam.defaults(0.05);
        Trainer trainer = Trainer.builder(SPARK.sc(), SPEC, adam, config).build();
        trainer.fit(data, null);
        ParameterServer server = trainer.server();
        return server.params().toFloatVector();
    }

    @Test
    void tasksFailingOnTheirFirstAttemptAreRetriedAndChangeNothing() {
        List<DataBlock> blocks = List.of(block(40, 1), block(30, 2));
        CachedBlocks healthy = CachedBlocks.cache(SPARK.sc().parallelize(blocks, 2), 2, FEATURES, "healthy");
        // Not cached: every round recomputes the partitions, and partition 1's first attempt throws every time.
        JavaRDD<DataBlock> flaky = SPARK.sc().parallelize(blocks, 2).mapPartitionsWithIndex((p, it) -> {
            if (p == 1 && TaskContext.get().attemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected executor failure");
            }
            return it;
        }, true);
        CachedBlocks unreliable = new CachedBlocks(flaky, healthy.rowsPerPartition(), FEATURES);
        for (TrainingConfig config : List.of(TrainingConfig.sync(2, 8, 2, 4),
                TrainingConfig.sync(2, 8, 2, 4).withMode(TrainingMode.AVERAGE, 2, InnerStatePolicy.KEEP, null))) {
            float[] expected = train(healthy, config);
            // Under the tree, the failing tasks are those of the shuffled reduction's first stage.
            for (ExchangeTopology topology : ExchangeTopology.values()) {
                FAILURES.set(0);
                float[] actual = train(unreliable, config.withExchange(config.exchange().withTopology(topology)));
                assertTrue(FAILURES.get() > 0, "failures were injected");
                assertArrayEquals(expected, actual, config.mode().configName() + " " + topology.configName());
            }
        }
    }

    @Test
    void anEmptyPartitionContributesNothing() {
        DataBlock a = block(40, 1);
        DataBlock b = block(30, 2);
        CachedBlocks two = CachedBlocks.cache(SPARK.sc().parallelize(List.of(a, b), 2), 2, FEATURES, "two");
        CachedBlocks withEmpty = CachedBlocks.cache(SPARK.sc().parallelize(List.of(a, DataBlock.empty(FEATURES), b),
                3), 3, FEATURES, "with-empty");
        // Shuffles are seeded by partition index, so an empty partition is compared where it moves no other one:
        // last. In the middle (b becomes partition 2, shuffled differently) it must still break nothing.
        CachedBlocks emptyLast = CachedBlocks.cache(SPARK.sc().parallelize(List.of(a, b, DataBlock.empty(FEATURES)),
                3), 3, FEATURES, "empty-last");
        TrainingConfig config = TrainingConfig.sync(2, 8, 2, 4);
        float[] expected = train(two, config);
        assertArrayEquals(expected, train(emptyLast, config));
        assertArrayEquals(expected, train(emptyLast, config.withExchange(config.exchange()
                .withTopology(ExchangeTopology.TREE))), "an empty partition's pieces are empty under the tree too");
        float[] middle = train(withEmpty, config);
        for (float v : middle) {
            assertTrue(Float.isFinite(v));
        }
    }
}
