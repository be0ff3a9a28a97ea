package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.params.NativeFloats.laidOutFromStart;

import dev.sparktrain.ops.runtime.PreparedOp;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution's weight gradient, transposed: dWᵀ = cols·dZᵀ ({@code [C·kH·kW, n]·[filters, n]ᵀ}), which libnd4j's
 * matmul (oneDNN in this build) ran up to 2x faster than dW = dZ·colsᵀ at LeNet's and the ResNet example's shapes,
 * never slower.
 * A thin product, whose output has at most {@link #THIN_OUTPUT_VALUES} entries (LeNet's first layer: 25 x 20 over
 * k = 36,864), goes to OpenBLAS's gemm directly instead, about 1.6x oneDNN's rate there (docs/performance.md,
 * session 12). One instance per layer, used by one thread at a time like the layer.
 */
final class WeightGradientProduct {

    /** The largest output (C·kH·kW times filters) sent to OpenBLAS rather than libnd4j's matmul. */
    static final long THIN_OUTPUT_VALUES = 1024;

    private final PreparedOp matmul = PreparedOp.matmul(false, true);

    /** out = cols·dZᵀ: {@code out} is [rows of cols, rows of gradZ], all three row-major. */
    void exec(INDArray out, INDArray cols, INDArray gradZ) {
        long m = cols.size(0);
        long n = gradZ.size(0);
        long k = cols.size(1);
        if (m * n <= THIN_OUTPUT_VALUES && k <= Integer.MAX_VALUE && blasReady(out, cols, gradZ)) {
            blas(out, cols, gradZ, (int) m, (int) n, (int) k);
        } else {
            matmul.exec(out, cols, gradZ);
        }
    }

    /** Whether OpenBLAS can take the three arrays as they lie: one data type it handles, each row-major from 0. */
    private static boolean blasReady(INDArray out, INDArray a, INDArray b) {
        DataType type = out.dataType();
        return (type == DataType.FLOAT || type == DataType.DOUBLE) && a.dataType() == type && b.dataType() == type
                && laidOutFromStart(out) && laidOutFromStart(a) && laidOutFromStart(b);
    }

    private static void blas(INDArray out, INDArray a, INDArray b, int m, int n, int k) {
        int order = openblas_nolapack.CblasRowMajor;
        int plain = openblas_nolapack.CblasNoTrans;
        int transposed = openblas_nolapack.CblasTrans;
        if (out.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(order, plain, transposed, m, n, k, 1f,
                    new FloatPointer(a.data().addressPointer()), k, new FloatPointer(b.data().addressPointer()), k, 0f,
                    new FloatPointer(out.data().addressPointer()), n);
        } else {
            openblas_nolapack.cblas_dgemm(order, plain, transposed, m, n, k, 1.0,
                    new DoublePointer(a.data().addressPointer()), k, new DoublePointer(b.data().addressPointer()), k,
                    0.0, new DoublePointer(out.data().addressPointer()), n);
        }
    }
}
