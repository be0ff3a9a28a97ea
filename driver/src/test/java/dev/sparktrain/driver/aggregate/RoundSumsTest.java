package dev.sparktrain.driver.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The algebra of the one mergeable round result: empty, identity on both sides, weighted means, order. */
class RoundSumsTest {

    private static Map<String, INDArray> vectors(float[] gradient, float[] params) {
        Map<String, INDArray> v = new LinkedHashMap<>();
        v.put(RoundSums.GRADIENT, Nd4j.createFromArray(gradient));
        if (params != null) {
            v.put(RoundSums.PARAMS, Nd4j.createFromArray(params));
        }
        return v;
    }

    private static RoundSums of(float[] gradient, double loss, long samples) {
        return RoundSums.empty().add(vectors(gradient, null), loss, samples, 0);
    }

    @Test
    void meansAreWeightedBySampleCountsForEveryNamedVector() {
        RoundSums a = RoundSums.empty().add(vectors(new float[] {1, 2}, new float[] {10}), 0.5, 3, 4);
        RoundSums b = RoundSums.empty().add(vectors(new float[] {4, -1}, new float[] {2}), 2.0, 1, 7);
        RoundSums sum = a.merge(b);
        assertEquals(4, sum.count());
        assertEquals(7, sum.maxStep());
        // (3·[1,2] + 1·[4,−1]) / 4, (3·10 + 1·2) / 4 and (3·0.5 + 1·2) / 4
        assertArrayEquals(new float[] {7f / 4, 5f / 4}, sum.gradient(), 1e-7f);
        assertArrayEquals(new float[] {32f / 4}, sum.mean(RoundSums.PARAMS), 1e-7f);
        assertEquals(3.5 / 4, sum.meanLoss(), 1e-12);
    }

    @Test
    void sumsAreReadableUntilTheyBecomeMeans() {
        RoundSums sum = RoundSums.empty().add(vectors(new float[] {1, 2}, null), 0.5, 3, 0)
                .merge(RoundSums.empty().add(vectors(new float[] {4, -1}, null), 2.0, 1, 0));
        assertArrayEquals(new float[] {7, 5}, sum.sums(RoundSums.GRADIENT));
        assertThrows(IllegalArgumentException.class, () -> sum.sums(RoundSums.PARAMS));
        assertArrayEquals(new float[] {7f / 4, 5f / 4}, sum.gradient());
        assertThrows(IllegalStateException.class, () -> sum.sums(RoundSums.GRADIENT));
        assertThrows(IllegalStateException.class, () -> RoundSums.empty().sums(RoundSums.GRADIENT));
    }

    @Test
    void emptyIsTheIdentityOnBothSides() {
        RoundSums left = RoundSums.empty().merge(of(new float[] {2, 3}, 1.0, 2));
        RoundSums right = of(new float[] {2, 3}, 1.0, 2).merge(RoundSums.empty());
        assertArrayEquals(new float[] {2, 3}, left.gradient());
        assertArrayEquals(new float[] {2, 3}, right.gradient());
        assertEquals(2, left.count());
        assertEquals(2, right.count());
        assertTrue(RoundSums.empty().merge(RoundSums.empty()).isEmpty());
    }

    @Test
    void anEmptyResultHasNoMeansAndMismatchedVectorsAreRefused() {
        assertThrows(IllegalStateException.class, () -> RoundSums.empty().gradient());
        assertThrows(IllegalStateException.class, () -> RoundSums.empty().meanLoss());
        assertThrows(IllegalArgumentException.class, () -> of(new float[] {1, 2}, 0, 1).merge(of(new float[] {1, 2, 3},
                0, 1)));
        RoundSums withParams = RoundSums.empty().add(vectors(new float[] {1}, new float[] {1}), 0, 1, 0);
        assertThrows(IllegalArgumentException.class, () -> of(new float[] {1}, 0, 1).merge(withParams));
        assertThrows(IllegalArgumentException.class, () -> RoundSums.empty().add(vectors(new float[] {1}, null), 0, 0,
                0));
    }

    @Test
    void mergesFoldLeftInTheOrderTheyAreCalledBitForBit() {
        // Values whose float sums depend on the order they are added in.
        // Forward, 1e8 − 1e8 + 1 = 1; backward, the 1 is lost in 1 − 1e8, and the sum is 0.
        float[][] gradients = {{1e8f, 0.5f}, {-1e8f, 1f}, {1f, 0.25f}};
        float[] expected = new float[2];
        long count = 0;
        RoundSums folded = RoundSums.empty();
        for (int p = 0; p < gradients.length; p++) {
            long samples = 1;
            for (int i = 0; i < 2; i++) {
                expected[i] += gradients[p][i] * (float) samples;
            }
            count += samples;
            folded.merge(of(gradients[p], p, samples));
        }
        for (int i = 0; i < 2; i++) {
            expected[i] /= (float) count;
        }
        assertArrayEquals(expected, folded.gradient(), 0f);
        RoundSums reversed = RoundSums.empty();
        for (int p = gradients.length - 1; p >= 0; p--) {
            reversed.merge(of(gradients[p], p, 1));
        }
        // Another order gives other bits: why every transport merges in partition order.
        assertEquals(1f / 3, expected[0]);
        assertEquals(0f, reversed.gradient()[0]);
    }

    @Test
    void theTermsOfALazyMergeAddInMergeOrderToTheMergedSumsBitForBit() {
        // As above: summed in another order, element 0 would lose the 1.
        float[][] gradients = {{1e8f, 0.5f}, {-1e8f, 1f}, {1f, 0.25f}};
        RoundSums folded = RoundSums.empty();
        for (int p = 0; p < gradients.length; p++) {
            folded.mergeLater(of(gradients[p], p, 1));
        }
        dev.sparktrain.ps.VectorSum terms = folded.sumOf(RoundSums.GRADIENT);
        assertEquals(3, terms.terms().size());
        for (int p = 0; p < gradients.length; p++) {
            // The workers' own sums, unchanged by the merge: a reader adds them.
            assertArrayEquals(gradients[p], terms.terms().get(p), 0f);
        }
        float[] readerSum = terms.toArray();
        assertArrayEquals(new float[] {1f, 1.75f}, readerSum, 0f);
        // Reading the sums adds the terms in the same order: the same bits.
        assertArrayEquals(readerSum, folded.sums(RoundSums.GRADIENT), 0f);
        assertEquals(1, folded.sumOf(RoundSums.GRADIENT).terms().size());
        // An eager merge adds at once: one term.
        assertEquals(1, of(gradients[0], 0, 1).merge(of(gradients[1], 1, 1)).sumOf(RoundSums.GRADIENT).terms().size());
        assertArrayEquals(new float[] {1f / 3, 1.75f / 3}, folded.gradient(), 0f);
        assertThrows(IllegalStateException.class, () -> folded.sumOf(RoundSums.GRADIENT));
        // A result merged into another carries its terms added: (a + b) + c, not a + (b + c).
        RoundSums bc = of(gradients[1], 1, 1).mergeLater(of(gradients[2], 2, 1));
        RoundSums abc = of(gradients[0], 0, 1).mergeLater(bc);
        // An eager merge into a result with terms adds them first: ((a + b) + c), then d.
        RoundSums ab = of(gradients[0], 0, 1).mergeLater(of(gradients[1], 1, 1));
        ab.merge(of(gradients[2], 2, 1));
        assertArrayEquals(new float[] {(1e8f + -1e8f) + 1f, 1.75f}, ab.sums(RoundSums.GRADIENT), 0f);
        assertArrayEquals(new float[] {1e8f + (-1e8f + 1f), 0.5f + 1.25f}, abc.sums(RoundSums.GRADIENT), 0f);
    }

    @Test
    void aLazilyMergedResultTravelsAndSplitsWithItsTermsAdded() throws Exception {
        RoundSums merged = of(new float[] {1e8f, 2}, 0, 1).mergeLater(of(new float[] {-1e8f, 3}, 0, 1))
                .mergeLater(of(new float[] {1, 4}, 0, 1));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(merged);
        }
        RoundSums copy;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RoundSums) in.readObject();
        }
        assertEquals(1, copy.sumOf(RoundSums.GRADIENT).terms().size());
        assertArrayEquals(new float[] {1, 9}, copy.sums(RoundSums.GRADIENT), 0f);
        RoundSums again = of(new float[] {1e8f, 2}, 0, 1).mergeLater(of(new float[] {-1e8f, 3}, 0, 1))
                .mergeLater(of(new float[] {1, 4}, 0, 1));
        assertArrayEquals(new float[] {1, 9}, RoundSums.join(again.split(2)).sums(RoundSums.GRADIENT), 0f);
        RoundSums parted = of(new float[] {1e8f, 2}, 0, 1).mergeLater(of(new float[] {-1e8f, 3}, 0, 1))
                .mergeLater(of(new float[] {1, 4}, 0, 1));
        assertArrayEquals(new float[] {1, 9}, parted.parts().sums().get(RoundSums.GRADIENT), 0f);
    }

    @Test
    void theLowestNonFinitePartitionIsKept() {
        RoundSums sum = RoundSums.empty().merge(RoundSums.empty().markNonFinite(3))
                .merge(of(new float[] {1}, 0, 1)).merge(RoundSums.empty().markNonFinite(1));
        assertEquals(1, sum.firstNonFinitePartition());
        assertEquals(-1, of(new float[] {1}, 0, 1).firstNonFinitePartition());
    }

    @Test
    void aResultHoldsItsOwnCopyOfWhatWasAdded() {
        INDArray gradient = Nd4j.createFromArray(1f, 2f);
        RoundSums sum = RoundSums.empty().add(Map.of(RoundSums.GRADIENT, gradient), 0, 2, 0);
        gradient.assign(100);
        assertArrayEquals(new float[] {1, 2}, sum.gradient());
    }

    @Test
    void meansAreFinalAndReleasedArraysGoToLaterResultsOnly() {
        RoundSums first = of(new float[] {2, 4}, 0, 2);
        float[] mean = first.gradient();
        assertArrayEquals(new float[] {2, 4}, mean);
        assertThrows(IllegalStateException.class, () -> first.merge(of(new float[] {1, 1}, 0, 1)));
        RoundSums live = of(new float[] {5, 6}, 0, 1);
        first.release();
        RoundSums next = of(new float[] {7, 8}, 0, 1);
        assertNotSame(live.gradient(), next.gradient());
        assertArrayEquals(new float[] {5, 6}, live.gradient());
        assertArrayEquals(new float[] {7, 8}, next.gradient());
    }

    /** A result of {@code length}-element vectors of values at many scales, so that summation order shows. */
    private static RoundSums random(java.util.Random random, int length, long samples) {
        float[] gradient = new float[length];
        float[] params = new float[length];
        for (int i = 0; i < length; i++) {
            gradient[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4));
            params[i] = (float) random.nextGaussian();
        }
        return RoundSums.empty().add(vectors(gradient, params), random.nextDouble(), samples, random.nextInt(9));
    }

    @Test
    void piecesMergedPieceByPieceJoinToTheMergedWholeBitForBit() {
        int workers = 5;
        int length = 1001;
        RoundSums whole = RoundSums.empty();
        for (int p = 0; p < workers; p++) {
            whole.merge(random(new java.util.Random(p), length, 3 + p));
        }
        for (int parts : new int[] {1, 3, 7, 2000}) {
            java.util.List<RoundSums> folded = null;
            for (int p = 0; p < workers; p++) {
                java.util.List<RoundSums> pieces = random(new java.util.Random(p), length, 3 + p).split(parts);
                assertEquals(parts, pieces.size());
                if (folded == null) {
                    folded = new java.util.ArrayList<>();
                    for (RoundSums piece : pieces) {
                        folded.add(RoundSums.empty().merge(piece));
                    }
                } else {
                    for (int k = 0; k < parts; k++) {
                        folded.get(k).merge(pieces.get(k));
                    }
                }
            }
            RoundSums joined = RoundSums.join(folded);
            assertEquals(whole.count(), joined.count());
            assertEquals(whole.maxStep(), joined.maxStep());
            assertEquals(whole.meanLoss(), joined.meanLoss());
            assertArrayEquals(copy(whole, RoundSums.GRADIENT), joined.mean(RoundSums.GRADIENT));
            assertArrayEquals(copy(whole, RoundSums.PARAMS), joined.mean(RoundSums.PARAMS));
        }
        // Merged in another order, the sums differ: the test data can tell orders apart.
        RoundSums reversed = RoundSums.empty();
        for (int p = workers - 1; p >= 0; p--) {
            reversed.merge(random(new java.util.Random(p), length, 3 + p));
        }
        assertTrue(!java.util.Arrays.equals(copy(whole, RoundSums.GRADIENT), reversed.mean(RoundSums.GRADIENT)));
    }

    @Test
    void aNonFiniteMarkAndTheTaskStatsTravelInTheFirstPiece() {
        RoundSums marked = RoundSums.empty().markNonFinite(4);
        marked.taskStats().record(1, 2, 3);
        java.util.List<RoundSums> pieces = marked.split(3);
        assertEquals(4, pieces.get(0).firstNonFinitePartition());
        assertEquals(-1, pieces.get(1).firstNonFinitePartition());
        RoundSums joined = RoundSums.join(pieces);
        assertEquals(4, joined.firstNonFinitePartition());
        assertEquals(1, joined.taskStats().tasks());
        assertTrue(joined.isEmpty());
    }

    private static float[] copy(RoundSums sums, String name) {
        return sums.mean(name).clone();
    }

    @Test
    void aRoundedVectorMergesAsItsDecodedValuesAddedInFloatWould() {
        float[] values = {0.5f, -1.25f, 3f, 1e-3f};
        short[] bits = new short[values.length];
        float[] decoded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = WirePrecision.BF16.encode(values[i]);
            decoded[i] = WirePrecision.BF16.decode(bits[i]);
        }
        Map<String, INDArray> none = Map.of();
        RoundSums first = of(new float[] {1, 2, 3, 4}, 0.5, 3);
        RoundSums rounded = RoundSums.empty().merge(RoundSums.ofRounded(RoundSums.GRADIENT, bits,
                WirePrecision.BF16, none, 1.5, 5, 2));
        RoundSums inFloat = RoundSums.empty().merge(of(decoded, 1.5, 5));
        assertTrue(rounded.has(RoundSums.GRADIENT));
        assertArrayEquals(copy(inFloat, RoundSums.GRADIENT), copy(rounded, RoundSums.GRADIENT));
        RoundSums mixed = of(new float[] {1, 2, 3, 4}, 0.5, 3).merge(RoundSums.ofRounded(RoundSums.GRADIENT, bits,
                WirePrecision.BF16, none, 1.5, 5, 2));
        assertArrayEquals(first.merge(of(decoded, 1.5, 5)).gradient(), mixed.gradient());
        assertEquals(8, mixed.count());
        assertThrows(IllegalStateException.class, () -> RoundSums.ofRounded(RoundSums.GRADIENT, bits,
                WirePrecision.BF16, none, 1, 1, 0).add(none, 1, 1, 0));
    }
}
