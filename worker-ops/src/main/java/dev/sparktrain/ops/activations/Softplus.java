package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** f(z) = log(1 + e^z), computed as max(z, 0) + log1p(e^−|z|); f'(z) = σ(z). */
public record Softplus() implements Activation {

    /** {@code softplus}: no options. */
    public static final Kind<Softplus> KIND = Kind.of("softplus", o -> new Softplus());

    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.softplus(z);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return Ops.sigmoid(z).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
