package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution kernels that replaced plainer code, against those loops' definitions: the ReLU mask by
 * bit operations with its sum, and the transposed weight-gradient product on both of its routes.
 */
class ConvKernelsTest {

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xffc00000)};

    private static HeapValues floats(float[] values) {
        HeapValues h = HeapValues.of(DataType.FLOAT).ensure(values.length);
        for (int i = 0; i < values.length; i++) {
            h.set(i, values[i]);
        }
        return h;
    }

    @Test
    void theMaskKeepsExactlyTheValuesWhoseReluOutputIsPositive() {
        SplittableRandom random = new SplittableRandom(7);
        int length = 1003;
        float[] g = new float[length];
        float[] m = new float[length];
        for (int i = 0; i < length; i++) {
            g[i] = (float) random.nextGaussian();
            m[i] = i < SPECIAL.length ? SPECIAL[i] : random.nextBoolean() ? 0f : (float) random.nextGaussian();
        }
        HeapValues from = floats(g);
        HeapValues mask = floats(m);
        for (int[] run : new int[][] {{0, 0, length}, {5, 3, 998}, {1, 0, 7}, {13, 2, 0}}) {
            HeapValues to = HeapValues.of(DataType.FLOAT).ensure(length + 8);
            double sum = from.maskedRun(run[0], mask, to, run[1], run[2]);
            double want = 0;
            for (int k = 0; k < run[2]; k++) {
                float v = m[run[0] + k] > 0 ? g[run[0] + k] : 0f;
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits((float) to.get(run[1] + k)),
                        "entry " + k + ", mask " + m[run[0] + k]);
                want += v;
            }
            assertEquals(want, sum, 1e-5 * Math.max(1, Math.abs(want)));

            double unmasked = from.maskedRun(run[0], null, to, run[1], run[2]);
            double all = 0;
            for (int k = 0; k < run[2]; k++) {
                assertEquals(g[run[0] + k], (float) to.get(run[1] + k));
                all += g[run[0] + k];
            }
            assertEquals(all, unmasked, 1e-5 * Math.max(1, Math.abs(all)));
        }
    }

    @Test
    void theWeightGradientIsColsTimesTheTransposedProductGradientOnBothRoutes() {
        Nd4j.getRandom().setSeed(5);
        WeightGradientProduct product = new WeightGradientProduct();
        // {rows of cols (C·kH·kW), filters, columns}: LeNet's first layer's shape (OpenBLAS), and a wide one (matmul).
        long[][] shapes = {{25, 20, 700}, {100, 50, 300}};
        assertTrue(shapes[0][0] * shapes[0][1] <= WeightGradientProduct.THIN_OUTPUT_VALUES);
        assertTrue(shapes[1][0] * shapes[1][1] > WeightGradientProduct.THIN_OUTPUT_VALUES);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            for (long[] s : shapes) {
                INDArray cols = Nd4j.randn(type, s[0], s[2]);
                INDArray gradZ = Nd4j.randn(type, s[1], s[2]);
                INDArray want = cols.castTo(DataType.DOUBLE).mmul(gradZ.castTo(DataType.DOUBLE).transpose());
                double scale = want.normmaxNumber().doubleValue();
                INDArray out = Nd4j.create(type, s[0], s[1]);
                product.exec(out, cols, gradZ);
                assertEquals(0, want.sub(out.castTo(DataType.DOUBLE)).normmaxNumber().doubleValue(),
                        tolerance * scale, type + " " + java.util.Arrays.toString(s));

                // Operands that do not start their buffer (the rows of a larger array) take libnd4j's matmul.
                INDArray larger = Nd4j.randn(type, s[0] + 2, s[2]);
                INDArray view = larger.get(NDArrayIndex.interval(2, s[0] + 2), NDArrayIndex.all());
                view.assign(cols);
                INDArray fromView = Nd4j.create(type, s[0], s[1]);
                product.exec(fromView, view, gradZ);
                assertEquals(0, want.sub(fromView.castTo(DataType.DOUBLE)).normmaxNumber().doubleValue(),
                        tolerance * scale);
            }
        }
    }
}
