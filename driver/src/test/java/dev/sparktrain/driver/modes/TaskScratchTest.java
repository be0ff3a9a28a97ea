package dev.sparktrain.driver.modes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sparktrain.driver.data.Shuffle;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.OptimizerState;
import dev.sparktrain.ps.optim.RmsPropTf;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.junit.jupiter.api.Test;

/** A thread's reused arrays hold exactly the values a fresh copy would, and never alias what was broadcast. */
class TaskScratchTest {

    private static final NetworkSpec SPEC = new NetworkSpec(new Shape(5), List.of(new Dense(4, new Relu()),
            new Dense(3, new Identity())), new SoftmaxCrossEntropy());

    private static float[] params(long seed) {
        return SPEC.initialParameters(seed, DataType.FLOAT).toFloatVector();
    }

    @Test
    void theNextTaskOfTheSameModelReusesTheNetworkWithTheNewParameters() {
        float[] first = params(1);
        float[] second = params(2);
        Network a = TaskScratch.withParams(SPEC, first).network();
        a.params().addi(1);
        Network b = TaskScratch.withParams(SPEC, second).network();
        assertSame(a, b);
        assertArrayEquals(second, b.params().toFloatVector());
        assertArrayEquals(params(1), first, "the broadcast array must stay untouched");
    }

    @Test
    void anotherModelGetsItsOwnNetwork() {
        Network a = TaskScratch.withParams(SPEC, params(1)).network();
        NetworkSpec other = new NetworkSpec(new Shape(5), List.of(new Dense(3, new Identity())),
                new SoftmaxCrossEntropy());
        Network b = TaskScratch.withParams(other, other.initialParameters(1, DataType.FLOAT).toFloatVector())
                .network();
        assertNotSame(a, b);
        assertEquals(other, b.spec());
    }

    @Test
    void slotsAreCopiesOfTheBroadcastState() {
        TaskScratch scratch = TaskScratch.withParams(SPEC, params(1));
        int n = params(1).length;
        float[] m = new float[n];
        m[3] = 0.5f;
        InnerState broadcast = new InnerState(7, Map.of("m", m, "v", new float[n]));
        OptimizerState state = scratch.copyOf(broadcast);
        assertEquals(7, state.step());
        assertArrayEquals(m, state.slot("m").toFloatVector());
        state.slot("m").addi(1);
        assertEquals(0.5f, m[3], "the broadcast slot must stay untouched");
        assertArrayEquals(m, scratch.copyOf(broadcast).slot("m").toFloatVector());
    }

    @Test
    void freshStatesEqualTheOptimizersInitialStateEvenAfterUse() {
        TaskScratch scratch = TaskScratch.withParams(SPEC, params(1));
        RmsPropTf rms = RmsPropTf.defaults(0.01);
        OptimizerState used = scratch.fresh(rms);
        used.slots().values().forEach(slot -> slot.addi(3));
        OptimizerState again = scratch.fresh(rms);
        OptimizerState expected = rms.init(scratch.network().params());
        assertEquals(expected.slots().keySet(), again.slots().keySet());
        expected.slots().forEach((name, slot) -> assertArrayEquals(slot.toFloatVector(),
                again.slot(name).toFloatVector(), name));
        Adam adam = Adam.defaults(0.01);
        assertEquals(adam.slotNames(), scratch.fresh(adam).slots().keySet());
    }

    @Test
    void aPartitionsRowOrderIsKeptForItsEpochAndDrawnAgainForAnother() {
        TaskScratch scratch = TaskScratch.withParams(SPEC, params(1));
        int[] epoch1 = scratch.order(42, 1, 0, 50);
        assertArrayEquals(Shuffle.order(42, 1, 0, 50), epoch1);
        assertSame(epoch1, scratch.order(42, 1, 0, 50));
        assertArrayEquals(Shuffle.order(42, 2, 0, 50), scratch.order(42, 2, 0, 50));
        assertArrayEquals(Shuffle.order(42, 2, 1, 50), scratch.order(42, 2, 1, 50));
        assertArrayEquals(Shuffle.order(43, 2, 1, 50), scratch.order(43, 2, 1, 50));
        assertArrayEquals(Shuffle.order(43, 2, 1, 49), scratch.order(43, 2, 1, 49));
    }
}
