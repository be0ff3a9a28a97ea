package dev.sparktrain.ops.activations;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Numerically stable element-wise building blocks shared by activations and losses, each a handful of native
 * ND4J ops over whole arrays. None modifies its argument.
 */
public final class Ops {

    private Ops() {
    }

    /** 1 where {@code z > 0}, else 0, in the data type of {@code z}. */
    public static INDArray positiveMask(INDArray z) {
        return z.gt(0).castTo(z.dataType());
    }

    /** σ(z) = 1 / (1 + e^−z); saturates to exactly 0 or 1 for large |z| without overflow. */
    public static INDArray sigmoid(INDArray z) {
        return Transforms.sigmoid(z, true);
    }

    /**
     * softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|): no overflow for any z, and full relative precision in
     * the negative tail (where it is ≈ e^z), computed in double on the heap: ND4J's native log1p of e^−|z| loses
     * digits there.
     */
    public static INDArray softplus(INDArray z) {
        return HeapMath.map(z, Ops::softplus);
    }

    /** softplus of one value, in double: max(t, 0) + log1p(e^−|t|). */
    public static double softplus(double t) {
        return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    /**
     * PyTorch's {@code Softplus(beta, threshold)}: (1/β)·log(1 + e^(βz)), and z itself where βz &gt; threshold (there
     * the two differ by less than e^−threshold/β); computed as {@link #softplus(double)} in double.
     */
    public static INDArray softplus(INDArray z, double beta, double threshold) {
        return HeapMath.map(z, v -> beta * v > threshold ? v : softplus(beta * v) / beta);
    }

    /** d/dz of {@link #softplus(INDArray, double, double)}: σ(βz), and 1 where βz &gt; threshold; in double. */
    public static INDArray softplusDerivative(INDArray z, double beta, double threshold) {
        return HeapMath.map(z, v -> beta * v > threshold ? 1 : sigmoid(beta * v));
    }

    /** σ(t) of one value, in double, without overflow. */
    public static double sigmoid(double t) {
        if (t >= 0) {
            return 1 / (1 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1 + e);
    }

    /** log σ(z) = −softplus(−z), finite for all z. */
    public static INDArray logSigmoid(INDArray z) {
        return softplus(z.neg()).negi();
    }

    /** Row-wise log-softmax over the last axis of a {@code [N, C]} matrix: z − max − log Σ e^(z − max). */
    public static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(1).reshape(z.size(0), 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    /** Row-wise softmax over the last axis of a {@code [N, C]} matrix, computed on shifted logits. */
    public static INDArray softmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(1).reshape(z.size(0), 1));
        INDArray exp = Transforms.exp(shifted, false);
        return exp.diviColumnVector(exp.sum(true, 1));
    }

    /** A view of {@code z} as {@code [N, C]} with C its last dimension (rank 1 counts as one row). */
    static INDArray rows(INDArray z) {
        long c = z.size(z.rank() - 1);
        return z.reshape('c', z.length() / c, c);
    }
}
