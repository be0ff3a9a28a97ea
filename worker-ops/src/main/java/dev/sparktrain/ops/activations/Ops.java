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

    /** softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|): no overflow for any z. */
    public static INDArray softplus(INDArray z) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false);
        return Transforms.relu(z, true).addi(tail);
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
