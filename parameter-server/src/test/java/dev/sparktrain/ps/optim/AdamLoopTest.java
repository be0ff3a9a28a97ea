package dev.sparktrain.ps.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * {@link AdamLoop}, the Java pass behind {@link Adam#stepInPlace}: every entry, across chunk boundaries and in both
 * ε conventions, against the formula in double precision, and the same steps through libnd4j's kernel for arrays
 * that are not whole float32 buffers.
 */
class AdamLoopTest {

    /** Lengths around the chunk of 1,024 floats, and the Fashion MLP's parameter count. */
    private static final int[] LENGTHS = {1, 5, 1023, 1024, 1025, 2048, 3001, 235_146};
    private static final int STEPS = 5;

    @Test
    void everyEntryFollowsTheFormulaInBothConventions() {
        for (EpsilonConvention convention : EpsilonConvention.values()) {
            Adam adam = new Adam(0.01, 0.9, 0.999, 1e-3, convention, false);
            for (int n : LENGTHS) {
                Random random = new Random(n);
                float[] start = values(random, n, 1);
                INDArray params = Nd4j.createFromArray(start);
                OptimizerState state = adam.init(params);
                double[] expected = toDouble(start);
                double[] m = new double[n];
                double[] v = new double[n];
                for (int t = 1; t <= STEPS; t++) {
                    // Gradients from 1e-4 to 1: √v near ε, where the conventions differ, and far from it.
                    float[] g = values(random, n, Math.pow(10, -t % 5));
                    INDArray gradient = Nd4j.createFromArray(g);
                    assertTrue(AdamLoop.applies(gradient, state.slot("m"), state.slot("v"), params));
                    state = adam.stepInPlace(gradient, state, params).state();
                    reference(adam, t, g, m, v, expected);
                }
                String what = convention + ", " + n + " entries";
                assertClose(expected, params, what + ": parameters");
                assertClose(m, state.slot("m"), what + ": m");
                assertClose(v, state.slot("v"), what + ": v");
            }
        }
    }

    @Test
    void viewsAndDoublesTakeTheNativeKernelWithTheSameSteps() {
        Adam adam = Adam.defaults(0.01);
        int n = 3001;
        Random random = new Random(7);
        INDArray flat = Nd4j.createFromArray(values(random, n, 1));
        // Row 1 of a 2-row matrix: the same values at an offset into a larger buffer.
        INDArray matrix = Nd4j.createUninitialized(DataType.FLOAT, 2, n).assign(-3);
        INDArray row = matrix.getRow(1).assign(flat);
        INDArray wide = flat.castTo(DataType.DOUBLE);
        OptimizerState flatState = adam.init(flat);
        OptimizerState rowState = adam.init(row);
        OptimizerState wideState = adam.init(wide);
        for (int t = 0; t < STEPS; t++) {
            INDArray g = Nd4j.createFromArray(values(random, n, 0.1));
            assertFalse(AdamLoop.applies(g, rowState.slot("m"), rowState.slot("v"), row));
            assertFalse(AdamLoop.applies(g.castTo(DataType.DOUBLE), wideState.slot("m"), wideState.slot("v"), wide));
            rowState = adam.stepInPlace(g.dup(), rowState, row).state();
            wideState = adam.stepInPlace(g.castTo(DataType.DOUBLE), wideState, wide).state();
            flatState = adam.stepInPlace(g.dup(), flatState, flat).state();
        }
        // libnd4j rounds 1 − β2 from the float β2 (relative 1.3e-5 in v), hence the looser bound.
        assertArrayEquals(toDouble(flat.toFloatVector()), toDouble(row.toFloatVector()), 1e-5);
        assertArrayEquals(toDouble(flat.toFloatVector()), wide.toDoubleVector(), 1e-5);
        for (float untouched : matrix.getRow(0).toFloatVector()) {
            assertTrue(untouched == -3f, "the other row changed: " + untouched);
        }
    }

    /**
     * Each entry within a few float32 roundings of the double value: 4e-6 relative, plus 1e-7 of the largest
     * magnitude for entries near 0 (m is a difference of terms where gradients change sign).
     */
    private static void assertClose(double[] expected, INDArray actual, String what) {
        float[] values = actual.toFloatVector();
        double largest = 0;
        for (double e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double bound = 4e-6 * Math.abs(expected[i]) + 1e-7 * largest;
            if (!(Math.abs(values[i] - expected[i]) <= bound)) {
                throw new AssertionError(what + " entry " + i + ": expected " + expected[i] + ", got " + values[i]);
            }
        }
    }

    /** Adam's step t on {@code p} in double precision, {@code m} and {@code v} updated in place. */
    private static void reference(Adam adam, int t, float[] g, double[] m, double[] v, double[] p) {
        double c1 = 1 - Math.pow(adam.beta1(), t);
        double c2 = 1 - Math.pow(adam.beta2(), t);
        for (int i = 0; i < g.length; i++) {
            m[i] = adam.beta1() * m[i] + (1 - adam.beta1()) * g[i];
            v[i] = adam.beta2() * v[i] + (1 - adam.beta2()) * g[i] * g[i];
            p[i] -= adam.convention() == EpsilonConvention.TENSORFLOW
                    ? adam.learningRate() * Math.sqrt(c2) / c1 * m[i] / (Math.sqrt(v[i]) + adam.epsilon())
                    : adam.learningRate() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + adam.epsilon());
        }
    }

    /**
     * A step that flushes zeroes the same moment entries, to the bit, as the separate libnd4j pass it replaces
     * ({@code replaceWhere} with {@code absLessThan(1e-30)}): values on both sides of the threshold, signed zeros,
     * subnormals, NaN and infinities, across chunk boundaries. With β1 = β2 = 1 the step leaves m and v as they are
     * (plus a zero), so what differs between the paths can only be the flush.
     */
    @Test
    void aFlushingStepZeroesWhatLibnd4jsReplaceWhereZeroes() {
        float threshold = (float) Adam.FLUSH_BELOW;
        float[] probes = {0f, -0f, threshold, Math.nextDown(threshold), Math.nextUp(threshold), -threshold,
            -Math.nextDown(threshold), 1e-31f, -1e-31f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-29f,
            1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int n = 3001;
        Random random = new Random(3);
        float[] m = new float[n];
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = probes[random.nextInt(probes.length)];
            v[i] = Math.abs(probes[random.nextInt(probes.length)]);
        }
        INDArray g = Nd4j.zeros(DataType.FLOAT, n);
        INDArray[] fused = {Nd4j.createFromArray(m), Nd4j.createFromArray(v), Nd4j.zeros(DataType.FLOAT, n)};
        INDArray[] separate = {Nd4j.createFromArray(m), Nd4j.createFromArray(v), Nd4j.zeros(DataType.FLOAT, n)};
        AdamLoop.step(g, fused[0], fused[1], fused[2], new AdamLoop.Kernel(1, 1, 1e-8, 1e-3, true));
        AdamLoop.step(g, separate[0], separate[1], separate[2], new AdamLoop.Kernel(1, 1, 1e-8, 1e-3, false));
        BooleanIndexing.replaceWhere(separate[0], 0.0, Conditions.absLessThan(Adam.FLUSH_BELOW));
        BooleanIndexing.replaceWhere(separate[1], 0.0, Conditions.absLessThan(Adam.FLUSH_BELOW));
        for (int k = 0; k < 2; k++) {
            float[] expected = separate[k].toFloatVector();
            float[] actual = fused[k].toFloatVector();
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        (k == 0 ? "m" : "v") + "[" + i + "] from " + (k == 0 ? m[i] : v[i]));
            }
        }
        assertEquals(0f, fused[0].getFloat(java.util.stream.IntStream.range(0, n)
                .filter(i -> m[i] == 1e-31f).findFirst().orElseThrow()), "a tiny moment is flushed");
    }

    private static float[] values(Random random, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((random.nextDouble() - 0.5) * scale);
        }
        return out;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
