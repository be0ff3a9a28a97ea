package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.aggregate.RoundSums;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.TestBlocks;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.ParameterSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Tasks are pure functions: a library user who runs two workers' tasks one after the other on one thread and merges
 * their results afterwards gets the same sum as when each ran alone (once, results lived in an array each thread
 * reused, and the second task overwrote the first one's gradient).
 */
class TasksOnOneThreadTest {

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(5), List.of(new Dense(4, new Tanh()),
            new Dense(3, new Identity())), new SoftmaxCrossEntropy());
    private static final DataBlock ROWS_0 = TestBlocks.random(16, 5, 3, 1, 1);
    private static final DataBlock ROWS_1 = TestBlocks.random(16, 5, 3, 1, 2);

    private static RoundPlan plan() {
        return new RoundPlan(1, 0, new ParameterSnapshot(0, SPEC.initialParameters(3, DataType.FLOAT)
                .toFloatVector()), null);
    }

    private static float[] gradientOf(int partition, DataBlock rows) {
        RoundSums alone = new SyncRoundTask(SPEC, 5, 8, false).run(plan(), partition, rows, Carry.NONE).result();
        return alone.gradient().clone();
    }

    @Test
    void twoSyncTasksRunOnOneThreadThenMergedSumBothGradients() {
        float[] g0 = gradientOf(0, ROWS_0);
        float[] g1 = gradientOf(1, ROWS_1);
        SyncRoundTask task = new SyncRoundTask(SPEC, 5, 8, false);
        RoundSums first = task.run(plan(), 0, ROWS_0, Carry.NONE).result();
        RoundSums second = task.run(plan(), 1, ROWS_1, Carry.NONE).result();
        RoundSums merged = RoundSums.empty().merge(first).merge(second);
        assertEquals(16, merged.count());
        float[] expected = new float[g0.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (0f + g0[i] * 8f + g1[i] * 8f) / 16f;
        }
        assertArrayEquals(expected, merged.gradient(), 1e-6f);
    }

    @Test
    void twoLocalStepTasksKeepingTheirStateOnOneThreadEachContinueTheirOwn() {
        // Two workers of the keep policy on one thread: each one's carried state must stay its own.
        LocalStepsTask task = new LocalStepsTask(SPEC, dev.sparktrain.ps.optim.Adam.defaults(0.01),
                dev.sparktrain.ps.InnerStatePolicy.KEEP, 5, 1, 4, false,
                dev.sparktrain.driver.aggregate.WirePrecision.FLOAT32);
        Carry alone = task.run(plan(), 0, ROWS_0, Carry.NONE).carry();
        float[] aloneNext = task.run(new RoundPlan(1, 1, plan().params(), null), 0, ROWS_0, alone).result()
                .mean(RoundSums.PARAMS).clone();
        Carry c0 = task.run(plan(), 0, ROWS_0, Carry.NONE).carry();
        task.run(plan(), 1, ROWS_1, Carry.NONE);
        float[] next = task.run(new RoundPlan(1, 1, plan().params(), null), 0, ROWS_0, c0).result()
                .mean(RoundSums.PARAMS);
        assertArrayEquals(aloneNext, next, 0f);
    }
}
