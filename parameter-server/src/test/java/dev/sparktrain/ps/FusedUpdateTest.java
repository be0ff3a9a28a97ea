package dev.sparktrain.ps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.ClipByGlobalNorm;
import dev.sparktrain.ps.optim.EpsilonConvention;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.RmsPropTf;
import dev.sparktrain.ps.optim.Scheduled;
import dev.sparktrain.ps.optim.Sgd;
import dev.sparktrain.ps.schedule.CosineDecay;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The server's updates from Java arrays (fused passes over blocks on the driver's cores) against its whole-vector
 * updates from native arrays: bitwise the same parameters and optimizer state, step after step, and the same norms
 * (within BLAS {@code dsdot}'s ~1e-8 of the exact sums of squares). The vector spans several blocks and ends in a
 * partial chunk.
 */
class FusedUpdateTest {

    private static final int LENGTH = 3 * 8192 + 1500 + 7;

    static List<Optimizer> optimizers() {
        return List.of(Adam.defaults(0.01), new Adam(0.01, 0.9, 0.999, 1e-8, EpsilonConvention.TENSORFLOW, false),
                new Scheduled(Adam.defaults(0.01), new CosineDecay(50, 0.1)), Sgd.plain(0.1),
                Sgd.momentum(0.1, 0.9), Sgd.nesterov(0.7, 0.5),
                // no element-wise step: the fallback
                RmsPropTf.defaults(0.01), new ClipByGlobalNorm(Adam.defaults(0.01), 0.5),
                new Adam(0.01, 0.9, 0.999, 1e-8, EpsilonConvention.PYTORCH, true));
    }

    private static float[] vector(Random random, float scale) {
        float[] v = new float[LENGTH];
        for (int i = 0; i < v.length; i++) {
            // Some entries stay 0 round after round, so Adam's moments decay towards its flush.
            v[i] = i % 97 == 0 ? 0 : (float) random.nextGaussian() * scale;
        }
        return v;
    }

    private static void assertSameState(ParameterServer expected, ParameterServer actual, String what) {
        assertArrayEquals(expected.params().toFloatVector(), actual.params().toFloatVector(), 0f, what + ": params");
        expected.optimizerState().slots().forEach((name, slot) -> assertArrayEquals(slot.toFloatVector(),
                actual.optimizerState().slot(name).toFloatVector(), 0f, what + ": slot " + name));
        assertEquals(expected.step(), actual.step(), what);
        assertEquals(expected.version(), actual.version(), what);
    }

    /** ‖a − b‖₂ with the difference rounded to float, summed in double. */
    private static double distance(float[] a, float[] b) {
        double squares = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            squares += d * d;
        }
        return Math.sqrt(squares);
    }

    private static void assertNear(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-7 * Math.max(1e-3, Math.abs(expected)), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void meanGradientStepsAreBitwiseThoseOfTheWholeVectorStep(Optimizer optimizer) {
        Random random = new Random(7);
        INDArray initial = Nd4j.createFromArray(vector(random, 1));
        ParameterServer whole = new ParameterServer(initial, optimizer);
        ParameterServer fused = new ParameterServer(initial, optimizer);
        ParameterSnapshot snapshot = fused.snapshot(null);
        // Past step 64, where Adam flushes its tiny moments.
        for (int round = 0; round < 70; round++) {
            float[] g = vector(random, round % 10 == 0 ? 1e-3f : 1);
            float[] before = whole.params().toFloatVector();
            double wholeUpdateNorm = whole.applyMeanGradient(Nd4j.createFromArray(g));
            ParameterServer.Update update = fused.applyMeanGradient(g);
            assertEquals(wholeUpdateNorm, update.updateNorm(), "the same norm, round " + round);
            assertSameState(whole, fused, optimizer + ", round " + round);
            float[] after = whole.params().toFloatVector();
            assertNear(distance(g, new float[LENGTH]), update.gradientNorm(), "gradient norm, round " + round);
            assertNear(distance(before, after), update.updateNorm(), "update norm, round " + round);
            assertNear(distance(after, new float[LENGTH]), fused.paramsNorm(), "params norm, round " + round);
            snapshot = fused.snapshot(snapshot);
            assertArrayEquals(whole.params().toFloatVector(), snapshot.params(), 0f, "snapshot, round " + round);
            assertEquals(fused.version(), snapshot.version());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void aMeanGivenAsSumsAndCountIsDividedAsTheMeanInPlaceIs(Optimizer optimizer) {
        Random random = new Random(13);
        INDArray initial = Nd4j.createFromArray(vector(random, 1));
        ParameterServer fromMean = new ParameterServer(initial, optimizer);
        ParameterServer fromSums = new ParameterServer(initial, optimizer);
        for (int round = 0; round < 5; round++) {
            float[] sums = vector(random, 77);
            long samples = 77 + round * 51;
            float[] mean = new float[LENGTH];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = sums[i] / (float) samples;
            }
            assertEquals(fromMean.applyMeanGradient(mean), fromSums.applyMeanGradient(sums, samples));
            assertSameState(fromMean, fromSums, optimizer + ", round " + round);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void outerStepsAreBitwiseThoseOfTheWholeVectorStep(Optimizer optimizer) {
        Random random = new Random(11);
        INDArray initial = Nd4j.createFromArray(vector(random, 1));
        ParameterServer whole = new ParameterServer(initial, optimizer);
        ParameterServer fused = new ParameterServer(initial, optimizer);
        for (int round = 0; round < 12; round++) {
            float[] mean = whole.params().toFloatVector();
            float[] noise = vector(random, 0.01f);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += noise[i];
            }
            float[] before = whole.params().toFloatVector();
            double wholeGradientNorm = whole.distanceTo(Nd4j.createFromArray(mean));
            double wholeUpdateNorm = whole.applyOuterStep(Nd4j.createFromArray(mean), null);
            ParameterServer.Update update = fused.applyOuterStep(mean, null).orElseThrow();
            assertEquals(wholeGradientNorm, update.gradientNorm(), "the same norm, round " + round);
            assertEquals(wholeUpdateNorm, update.updateNorm(), "the same norm, round " + round);
            assertSameState(whole, fused, optimizer + ", round " + round);
            assertNear(distance(before, mean), update.gradientNorm(), "pseudo-gradient norm, round " + round);
            assertNear(distance(before, whole.params().toFloatVector()), update.updateNorm(),
                    "update norm, round " + round);
        }
    }

    @Test
    void averagingAdoptsTheMeanBitwiseAndMeasuresTheChangeOnce() {
        Random random = new Random(3);
        INDArray initial = Nd4j.createFromArray(vector(random, 1));
        ParameterServer whole = new ParameterServer(initial, Adam.defaults(0.01));
        ParameterServer fused = new ParameterServer(initial, Adam.defaults(0.01));
        // A snapshot handed back starts the server's double buffering.
        ParameterSnapshot snapshot = fused.snapshot(fused.snapshot(null));
        for (int round = 0; round < 3; round++) {
            float[] mean = vector(random, 1);
            float[] previous = whole.params().toFloatVector();
            whole.applyParameterAverage(Nd4j.createFromArray(mean), InnerStatePolicy.RESET, null);
            ParameterServer.Update update = fused.applyParameterAverage(mean, InnerStatePolicy.RESET, null)
                    .orElseThrow();
            assertSameState(whole, fused, "round " + round);
            assertNear(distance(previous, mean), update.updateNorm(), "change, round " + round);
            assertEquals(update.updateNorm(), update.gradientNorm());
            float[] before = snapshot.params();
            snapshot = fused.snapshot(snapshot);
            assertNotSame(before, snapshot.params(), "the next update writes into the released array");
            assertArrayEquals(mean, snapshot.params(), 0f);
        }
    }

    @Test
    void aMeanWithANonFiniteValueLeavesTheServerUnchanged() {
        Random random = new Random(5);
        INDArray initial = Nd4j.createFromArray(vector(random, 1));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            ParameterServer ps = new ParameterServer(initial, Sgd.nesterov(0.7, 0.5));
            float[] mean = vector(random, 1);
            mean[LENGTH - 1] = bad;
            assertTrue(ps.applyParameterAverage(mean, InnerStatePolicy.RESET, null).isEmpty());
            assertTrue(ps.applyOuterStep(mean, null).isEmpty());
            assertArrayEquals(initial.toFloatVector(), ps.params().toFloatVector(), 0f);
            assertEquals(0, ps.version());
            assertEquals(0, ps.step());
        }
    }

    @Test
    void aHandedOutSnapshotIsNeverWrittenAgain() {
        Random random = new Random(9);
        ParameterServer ps = new ParameterServer(Nd4j.createFromArray(vector(random, 1)), Adam.defaults(0.01));
        ParameterSnapshot first = ps.snapshot(null);
        ps.applyMeanGradient(vector(random, 1));
        ParameterSnapshot second = ps.snapshot(first);
        float[] kept = second.params().clone();
        // Without handing the array back, the next updates must not touch it.
        ParameterSnapshot third = ps.snapshot();
        ps.applyMeanGradient(vector(random, 1));
        ps.applyMeanGradient(vector(random, 1));
        assertArrayEquals(kept, second.params(), 0f);
        assertNotSame(second.params(), ps.snapshot().params());
        assertNotNull(third);
        // A change outside the fused passes is seen by the next snapshot.
        ps.replaceWhere(Nd4j.ones(LENGTH), Nd4j.zeros(LENGTH));
        ParameterSnapshot afterReplace = ps.snapshot(third);
        assertArrayEquals(new float[LENGTH], afterReplace.params(), 0f);
        assertEquals(0, ps.paramsNorm());
    }
}
