package dev.sparktrain.ops.params;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Norms and finiteness checks of whole parameter-sized vectors through level-1 BLAS, whose kernels are vectorized.
 * ND4J's own reductions run a scalar loop: on the Fashion MLP's 235,146 floats {@code norm2Number} takes ~300 µs,
 * {@code sumNumber} ~145 µs and {@code distance2} ~350 µs, against ~50 µs for {@code nrm2} and ~8 µs for
 * {@code asum} (docs/performance.md), and a round takes several of them on the driver and one per step on a worker.
 */
public final class BlasVectors {

    private BlasVectors() {
    }

    /**
     * ‖x‖₂. A float32 vector goes through {@code dsdot}, which sums the squares in double: ~20 µs on the Fashion
     * MLP's parameters where {@code nrm2} takes ~45 µs, and closer to the exact value (1.7e-9 relative against
     * 1.6e-8 there). Its squares are float products, so it is not used where they could overflow or fall below the
     * normal floats: a sum that is infinite, or small enough for the lost low squares to matter, goes to the scaled
     * {@code nrm2} instead.
     */
    public static double norm2(INDArray x) {
        if (x.isEmpty()) {
            return 0;
        }
        if (NativeFloats.isWholeBuffer(x) && x.length() <= Integer.MAX_VALUE) {
            int n = (int) x.length();
            FloatPointer values = new FloatPointer(x.data().addressPointer());
            double squares = openblas_nolapack.cblas_dsdot(n, values, 1, values, 1);
            // Each square below Float.MIN_NORMAL (1.2e-38) loses at most 1.4e-45: n of them stay below 1e-9 of this.
            if (squares >= n * 1.4e-36 && squares < Double.POSITIVE_INFINITY || Double.isNaN(squares)) {
                return Math.sqrt(squares);
            }
        }
        return Nd4j.getBlasWrapper().nrm2(x);
    }

    /** ‖a − b‖₂, overwriting {@code b} with b − a (a scratch the caller no longer needs). */
    public static double distanceInto(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException("cannot take the distance of vectors of " + a.length() + " and "
                    + b.length() + " elements");
        }
        if (a.isEmpty()) {
            return 0;
        }
        INDArray same = a.dataType() == b.dataType() ? a : a.castTo(b.dataType());
        // b − a in one rounding per entry: a times −1 is exact.
        Nd4j.getBlasWrapper().level1().axpy(b.length(), -1.0, same, b);
        return norm2(b);
    }

    /**
     * Whether every entry is finite. Σ|xᵢ| is NaN or infinite when some entry is (OpenBLAS's {@code asum} propagates
     * both; BlasVectorsTest holds it to that), and otherwise only when the sum overflows (3.4e38 in float), which a
     * gradient or parameter vector reaches only when training has diverged.
     */
    public static boolean allFinite(INDArray x) {
        return x.isEmpty() || Double.isFinite(Nd4j.getBlasWrapper().asum(x));
    }
}
