package dev.sparktrain.ops.params;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** BLAS norms agree with a double-precision reference; every non-finite entry, wherever it sits, is caught. */
class BlasVectorsTest {

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double referenceNorm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void normAgreesWithADoubleSumAtEveryLengthAroundTheVectorWidths() {
        for (int n : new int[] {1, 2, 7, 15, 16, 17, 33, 1000, 235_146}) {
            float[] values = random(n, n);
            assertEquals(referenceNorm(values), BlasVectors.norm2(NativeFloats.copyOf(values)),
                    1e-8 * referenceNorm(values), "length " + n);
        }
        assertEquals(0, BlasVectors.norm2(Nd4j.create(DataType.FLOAT, 0)));
    }

    @Test
    void normDoesNotOverflowWhereTheSquaresWould() {
        // 3e20² overflows float: a plain sum of squares would say infinity.
        INDArray big = Nd4j.createFromArray(3e20f, 4e20f);
        assertEquals(5e20, BlasVectors.norm2(big), 1e14);
    }

    @Test
    void normIsRightWhereTheSquaresFallBelowTheNormalFloats() {
        // (1e-30)² is 0 in float: a float sum of squares would say 0.
        float[] tiny = new float[1000];
        Arrays.fill(tiny, 1e-30f);
        assertEquals(Math.sqrt(1000) * 1e-30, BlasVectors.norm2(NativeFloats.copyOf(tiny)), 1e-6 * 3.2e-29);
        // Subnormal floats.
        assertEquals(5e-40, BlasVectors.norm2(Nd4j.createFromArray(3e-40f, 4e-40f)), 1e-3 * 5e-40);
        assertEquals(0, BlasVectors.norm2(Nd4j.create(DataType.FLOAT, 5)));
    }

    @Test
    void normOfAVectorWithANaNIsNaNAndOfViewsAndDoublesIsRight() {
        float[] values = random(1000, 4);
        values[500] = Float.NaN;
        assertTrue(Double.isNaN(BlasVectors.norm2(NativeFloats.copyOf(values))));
        INDArray view = Nd4j.createFromArray(9f, 3f, 4f, 9f).get(NDArrayIndex.interval(1, 3));
        assertEquals(5, BlasVectors.norm2(view), 1e-6);
        assertEquals(5, BlasVectors.norm2(Nd4j.createFromArray(3.0, 4.0)), 1e-12);
    }

    @Test
    void distanceIsTheNormOfTheDifferenceAndLeavesItInTheSecondVector() {
        float[] a = random(1001, 1);
        float[] b = random(1001, 2);
        float[] difference = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            difference[i] = b[i] - a[i];
        }
        INDArray scratch = NativeFloats.copyOf(b);
        assertEquals(referenceNorm(difference), BlasVectors.distanceInto(NativeFloats.copyOf(a), scratch), 1e-5);
        assertArrayEquals(difference, NativeFloats.toArray(scratch));
    }

    @Test
    void distanceTakesAVectorOfAnotherTypeAndViews() {
        INDArray doubles = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray floats = Nd4j.createFromArray(0f, 9f, 1f, 2f, 5f, 9f).get(NDArrayIndex.interval(2, 5));
        assertEquals(Math.sqrt(0 + 0 + 4), BlasVectors.distanceInto(doubles, floats), 1e-7);
        assertArrayEquals(new float[] {0, 0, 2}, floats.toFloatVector());
    }

    @Test
    void everyNonFiniteEntryIsFoundWhereverItSits() {
        for (int n : new int[] {1, 7, 16, 33, 235_146}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (int at : new int[] {0, n / 2, n - 1}) {
                    INDArray x = NativeFloats.copyOf(random(n, 3));
                    assertTrue(BlasVectors.allFinite(x));
                    x.putScalar(at, bad);
                    assertFalse(BlasVectors.allFinite(x), bad + " at " + at + " of " + n);
                }
            }
        }
        assertTrue(BlasVectors.allFinite(Nd4j.create(DataType.FLOAT, 0)));
        INDArray doubles = Nd4j.createFromArray(1.0, Double.NaN);
        assertFalse(BlasVectors.allFinite(doubles));
    }
}
