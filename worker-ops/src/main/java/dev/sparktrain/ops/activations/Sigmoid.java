package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** f(z) = σ(z) = 1 / (1 + e^−z); f'(z) = y(1 − y). */
public record Sigmoid() implements Activation {

    /** {@code sigmoid}: no options. */
    public static final Kind<Sigmoid> KIND = Kind.of("sigmoid", o -> new Sigmoid());

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.sigmoid(z);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return y.rsub(1.0).muli(y).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
