package dev.sparktrain.ops.params;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Norms and finiteness checks of whole parameter-sized vectors through level-1 BLAS, whose kernels are vectorized.
 * ND4J's own reductions run a scalar loop: on the Fashion MLP's 235,146 floats {@code norm2Number} takes ~300 µs,
 * {@code sumNumber} ~145 µs and {@code distance2} ~350 µs, against ~50 µs for {@code nrm2} and ~8 µs for
 * {@code asum} (docs/performance.md), and a round takes several of them on the driver and one per step on a worker.
 * BLAS's {@code nrm2} is also the more accurate: it is scaled against overflow and does not lose the low bits of a
 * long float sum.
 */
public final class BlasVectors {

    private BlasVectors() {
    }

    /** ‖x‖₂. */
    public static double norm2(INDArray x) {
        return x.isEmpty() ? 0 : Nd4j.getBlasWrapper().nrm2(x);
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
