package dev.sparktrain.ps.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Optimizer#stepInPlace} (Adam's fused loop, the generic fallback) follows the same trajectory as
 * the pure {@link Optimizer#step}, state slots included, over 12 steps with gradients of very different sizes.
 */
class InPlaceStepTest {

    private static final int LENGTH = 1000;

    private static List<Map<String, ?>> configs() {
        return List.of(
                Map.of("type", "adam", "lr", 0.01),
                Map.of("type", "adam", "lr", 0.01, "epsilon", 1e-3),
                Map.of("type", "adam", "lr", 0.01, "epsilon", 1e-3, "epsilon_convention", "tensorflow"),
                Map.of("type", "adam", "lr", 0.01, "amsgrad", true),
                Map.of("type", "adam", "lr", 0.01, "schedule", Map.of("type", "cosine", "decay_steps", 8)),
                Map.of("type", "adamw", "lr", 0.01),
                Map.of("type", "sgd", "lr", 0.1, "momentum", 0.9, "nesterov", true),
                Map.of("type", "rmsprop", "lr", 0.01, "momentum", 0.5),
                Map.of("type", "adagrad", "lr", 0.1, "clip_norm", 0.5));
    }

    @Test
    void inPlaceStepsFollowThePureTrajectory() {
        for (Map<String, ?> config : configs()) {
            Optimizer optimizer = Optimizers.create("optimizer", config).optimizer();
            INDArray pure = Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5);
            INDArray inPlace = pure.dup();
            OptimizerState pureState = optimizer.init(pure);
            OptimizerState inPlaceState = optimizer.init(inPlace);
            for (int t = 0; t < 12; t++) {
                // Gradients from 1e-6 to 10: the epsilon conventions differ most where √v is near ε.
                INDArray g = Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5).muli(Math.pow(10, t % 4 * 2 - 5));
                Optimizer.Step p = optimizer.step(g, pureState, pure);
                pure = p.params();
                pureState = p.state();
                Optimizer.Step q = optimizer.stepInPlace(g.dup(), inPlaceState, inPlace);
                assertSame(inPlace, q.params(), config + ": the parameters are updated in place");
                inPlaceState = q.state();
            }
            assertClose(config + " params", pure, inPlace);
            assertEquals(pureState.step(), inPlaceState.step(), config.toString());
            assertEquals(pureState.slots().keySet(), inPlaceState.slots().keySet(), config.toString());
            for (String slot : pureState.slots().keySet()) {
                assertClose(config + " slot " + slot, pureState.slot(slot), inPlaceState.slot(slot));
            }
        }
    }

    @Test
    void adamFlushesMomentsThatWouldTurnSubnormalAndStillFollowsThePureTrajectory() {
        Adam adam = Adam.defaults(0.01);
        INDArray pure = Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5);
        INDArray inPlace = pure.dup();
        OptimizerState pureState = adam.init(pure);
        OptimizerState inPlaceState = adam.init(inPlace);
        INDArray zero = Nd4j.zeros(DataType.FLOAT, LENGTH);
        for (int t = 0; t < 3 * Adam.FLUSH_EVERY * 4; t++) {
            // One real gradient, then zeros: m decays by 0.9 a step and would pass 1.2e-38 after ~800 steps.
            INDArray g = t == 0 ? Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5) : zero;
            Optimizer.Step p = adam.step(g, pureState, pure);
            pure = p.params();
            pureState = p.state();
            inPlaceState = adam.stepInPlace(g.dup(), inPlaceState, inPlace).state();
        }
        for (float m : inPlaceState.slot("m").toFloatVector()) {
            assertTrue(m == 0 || Math.abs(m) >= Float.MIN_NORMAL, "subnormal m " + m);
        }
        assertTrue(Math.abs(pureState.slot("m").getFloat(0)) < 1e-30, "the pure path keeps the tiny moments");
        assertClose("params", pure, inPlace);
    }

    /**
     * Relative 1e-4, for the in-place paths that round differently from the pure one: libnd4j's Adam kernel (for
     * arrays that are not whole buffers) computes 1 − β2 from the float32 β2, 1.3e-5 off relative. Both are float32
     * renderings of the formula; {@code AdamLoopTest} holds Adam's own loop to the double values entry by entry.
     */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double scale = Math.max(expected.norm2Number().doubleValue(), 1e-30);
        double diff = expected.sub(actual).norm2Number().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": relative difference " + diff / scale);
    }
}
