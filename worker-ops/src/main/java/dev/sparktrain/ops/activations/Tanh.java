package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** f(z) = tanh(z); f'(z) = 1 − y². */
public record Tanh() implements Activation {

    /** {@code tanh}: no options. */
    public static final Kind<Tanh> KIND = Kind.of("tanh", o -> new Tanh());

    @Override
    public String name() {
        return "tanh";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.tanh(z, true);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return y.mul(y).rsubi(1).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
