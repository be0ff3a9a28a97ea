package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.driver.data.BatchBuffer;
import dev.sparktrain.driver.data.DataBlock;
import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Tanh;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.optim.RmsPropTf;
import dev.sparktrain.ps.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A step's temporaries live in a workspace that is reused by the next step: whatever leaves the step (parameters,
 * optimizer slots) must be outside it and equal what the plain, allocating optimizer path computes.
 */
class WorkerStepTest {

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(6), List.of(new Dense(5, new Tanh()),
            new Dense(3, new Identity())), new SoftmaxCrossEntropy());

    private static DataBlock rows() {
        int n = 24;
        float[] x = new float[n * 6];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return new DataBlock(n, 6, x, y);
    }

    private static void assertStepsMatchThePlainPath(Optimizer optimizer) {
        DataBlock rows = rows();
        int[] order = Shuffle.order(3, 1, 0, rows.rows());
        INDArray theta = SPEC.initialParameters(5, DataType.FLOAT);
        Network stepped = new Network(SPEC, theta.dup());
        Network plain = new Network(SPEC, theta.dup());
        OptimizerState state = optimizer.init(stepped.params());
        OptimizerState plainState = optimizer.init(plain.params());
        BatchBuffer buffer = new BatchBuffer();
        for (int step = 0; step < 4; step++) {
            Batch batch = buffer.gather(rows, order, (step % 3) * 8, 8);
            ForwardContext context = ForwardContext.training(step);
            WorkerStep.Outcome outcome = WorkerStep.run(stepped, optimizer, state, batch, context);
            state = outcome.state();
            state.slots().forEach((name, slot) -> assertFalse(slot.isAttached(), name + " left inside the workspace"));

            plain.computeGradient(batch.features(), batch.labels(), context);
            Optimizer.Step next = optimizer.step(plain.gradient().dup(), plainState, plain.params().dup());
            plain.params().assign(next.params());
            plainState = next.state();
        }
        assertEquals(plainState.step(), state.step());
        assertArrayEquals(plain.params().toFloatVector(), stepped.params().toFloatVector(), 1e-6f);
        for (String name : plainState.slots().keySet()) {
            assertArrayEquals(plainState.slot(name).toFloatVector(), state.slot(name).toFloatVector(), 1e-6f, name);
        }
    }

    @Test
    void rulesWithoutAnInPlacePathKeepTheirSlotsOutsideTheWorkspace() {
        assertStepsMatchThePlainPath(RmsPropTf.defaults(0.01));
        assertStepsMatchThePlainPath(Sgd.momentum(0.1, 0.9));
    }

    @Test
    void adamsInPlacePathMatchesThePlainPath() {
        assertStepsMatchThePlainPath(Adam.defaults(0.01));
    }
}
