package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Log-softmax over the last axis: y_i = z_i − max z − log Σ_j e^(z_j − max z), finite for any magnitude.
 * Backward: dz = g − softmax(z) · Σ_j g_j, with softmax(z) = e^y. Pairs with the {@code nll} loss.
 */
public record LogSoftmax() implements Activation {

    /** {@code log_softmax}: no options. */
    public static final Kind<LogSoftmax> KIND = Kind.of("log_softmax", o -> new LogSoftmax());

    @Override
    public String name() {
        return "log_softmax";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.logSoftmax(Ops.rows(z)).reshape(z.shape());
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray g2 = Ops.rows(gradY);
        INDArray softmax = Transforms.exp(Ops.rows(y), true);
        return g2.sub(softmax.muliColumnVector(g2.sum(true, 1))).reshape(z.shape());
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
