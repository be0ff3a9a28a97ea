package dev.sparktrain.ps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.ps.optim.Adam;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.RmsPropTf;
import dev.sparktrain.ps.optim.Scheduled;
import dev.sparktrain.ps.optim.Sgd;
import dev.sparktrain.ps.schedule.CosineDecay;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The server's step on the workers' gradient sums given as terms ({@link VectorSum}), which the fused pass adds as it
 * reads them, against the step on the sums merged beforehand: bitwise the same parameters, state and norms, with the
 * terms left as they were.
 */
class VectorSumStepTest {

    private static final int LENGTH = 3 * 8192 + 1500 + 7;

    static List<Optimizer> optimizers() {
        // Adam, scheduled Adam and SGD run the fused pass; RMSProp (no element-wise step) the whole-vector one.
        return List.of(Adam.defaults(0.01), new Scheduled(Adam.defaults(0.01), new CosineDecay(50, 0.1)),
                Sgd.nesterov(0.7, 0.5), RmsPropTf.defaults(0.01));
    }

    private static float[] vector(Random random, double scale) {
        float[] v = new float[LENGTH];
        for (int i = 0; i < v.length; i++) {
            // Scales from 1e-4 to 1e3 side by side, so that the order of the additions shows in the bits.
            v[i] = (float) (random.nextGaussian() * scale * Math.pow(10, random.nextInt(8) - 4));
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void termsAddedInThePassGiveTheStepOnTheMergedSums(Optimizer optimizer) {
        Random random = new Random(3);
        float[] initial = vector(random, 1);
        ParameterServer merged = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterServer fused = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterSnapshot snapshot = fused.snapshot(fused.snapshot(null));
        for (int round = 0; round < 6; round++) {
            List<float[]> terms = List.of(vector(random, 64), vector(random, 64), vector(random, 64));
            List<float[]> copies = terms.stream().map(float[]::clone).toList();
            float[] sums = copies.get(0).clone();
            for (float[] term : copies.subList(1, 3)) {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += term[i];
                }
            }
            ParameterServer.Update expected = merged.applyMeanGradient(sums, 192);
            ParameterServer.Update actual = fused.applyMeanGradient(new VectorSum(terms), 192);
            assertEquals(expected, actual, optimizer + ", round " + round);
            assertArrayEquals(merged.params().toFloatVector(), fused.params().toFloatVector(), 0f,
                    optimizer + ", round " + round);
            merged.optimizerState().slots().forEach((name, slot) -> assertArrayEquals(slot.toFloatVector(),
                    fused.optimizerState().slot(name).toFloatVector(), 0f, "slot " + name));
            assertEquals(merged.paramsNorm(), fused.paramsNorm());
            for (int k = 0; k < terms.size(); k++) {
                assertArrayEquals(copies.get(k), terms.get(k), 0f, "term " + k + " was changed");
            }
            snapshot = fused.snapshot(snapshot);
            assertArrayEquals(merged.params().toFloatVector(), snapshot.params(), 0f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void anOuterStepOnTheWorkersSumsIsTheStepOnTheirMergedMean(Optimizer optimizer) {
        Random random = new Random(4);
        float[] initial = vector(random, 1);
        ParameterServer fromMean = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterServer fromSums = new ParameterServer(Nd4j.createFromArray(initial), optimizer);
        ParameterSnapshot snapshot = fromSums.snapshot(fromSums.snapshot(null));
        for (int round = 0; round < 6; round++) {
            // The workers' parameters near θ, each weighted by its 64 samples.
            float[] theta = fromMean.params().toFloatVector();
            List<float[]> terms = new java.util.ArrayList<>();
            for (int k = 0; k < 2; k++) {
                float[] noise = vector(random, 0.01);
                float[] weighted = new float[LENGTH];
                for (int i = 0; i < LENGTH; i++) {
                    weighted[i] = 0f + (theta[i] + noise[i]) * 64f;
                }
                terms.add(weighted);
            }
            float[] mean = new VectorSum(terms).toArray();
            for (int i = 0; i < LENGTH; i++) {
                mean[i] = mean[i] / 128f;
            }
            ParameterServer.Update expected = fromMean.applyOuterStep(mean, null).orElseThrow();
            ParameterServer.Update actual = fromSums.applyOuterStep(new VectorSum(terms), 128, null).orElseThrow();
            assertEquals(expected, actual, optimizer + ", round " + round);
            assertArrayEquals(fromMean.params().toFloatVector(), fromSums.params().toFloatVector(), 0f,
                    optimizer + ", round " + round);
            snapshot = fromSums.snapshot(snapshot);
            assertArrayEquals(fromMean.params().toFloatVector(), snapshot.params(), 0f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void anOuterStepOnSumsWithANonFiniteMeanLeavesTheServerUnchanged(Optimizer optimizer) {
        Random random = new Random(8);
        ParameterServer server = new ParameterServer(Nd4j.createFromArray(vector(random, 1)), optimizer);
        ParameterSnapshot before = server.snapshot(server.snapshot(null));
        float[] first = vector(random, 1);
        float[] second = vector(random, 1);
        // Both terms finite, their sum not: the check reads the mean the step would use.
        first[LENGTH - 3] = Float.MAX_VALUE;
        second[LENGTH - 3] = Float.MAX_VALUE;
        assertEquals(java.util.Optional.empty(), server.applyOuterStep(new VectorSum(List.of(first, second)), 2,
                null));
        second[LENGTH - 3] = 0;
        first[9000] = Float.NaN;
        assertEquals(java.util.Optional.empty(), server.applyOuterStep(new VectorSum(List.of(first, second)), 2,
                null));
        assertEquals(0, server.version());
        assertArrayEquals(before.params(), server.params().toFloatVector(), 0f);
        assertArrayEquals(before.params(), server.snapshot().params(), 0f);
    }

    @Test
    void termsMustHaveOneLength() {
        assertThrows(IllegalArgumentException.class, () -> new VectorSum(List.of(new float[3], new float[4])));
        assertThrows(IllegalArgumentException.class, () -> new VectorSum(List.of()));
        float[] first = {1e8f, 1};
        assertArrayEquals(new float[] {1, 3}, new VectorSum(List.of(first, new float[] {-1e8f, 2},
                new float[] {1, 0})).addIntoFirst(), 0f);
        assertArrayEquals(new float[] {1, 3}, first, 0f);
    }
}
