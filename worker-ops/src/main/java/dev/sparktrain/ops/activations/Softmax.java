package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax over the last axis: y_i = e^(z_i − max z) / Σ_j e^(z_j − max z). Its Jacobian-vector product is
 * dz = y ∘ (g − Σ_j g_j y_j) row by row. As a last layer before a cross-entropy, prefer a logit loss
 * ({@code softmax_cross_entropy}), which fuses this for stability.
 */
public record Softmax() implements Activation {

    /** {@code softmax}: no options. */
    public static final Kind<Softmax> KIND = Kind.of("softmax", o -> new Softmax());

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.softmax(Ops.rows(z)).reshape(z.shape());
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray y2 = Ops.rows(y);
        INDArray g2 = Ops.rows(gradY);
        INDArray dot = g2.mul(y2).sum(true, 1);
        return g2.subColumnVector(dot).muli(y2).reshape(z.shape());
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
