package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** f(z) = clip(z, −1, 1); f'(z) = 1 for −1 &lt; z &lt; 1, else 0. */
public record HardTanh() implements Activation {

    /** {@code hard_tanh}: no options. */
    public static final Kind<HardTanh> KIND = Kind.of("hard_tanh", o -> new HardTanh());

    @Override
    public String name() {
        return "hard_tanh";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.min(Transforms.max(z, -1.0, true), 1.0, false);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return z.gt(-1).castTo(z.dataType()).muli(z.lt(1).castTo(z.dataType())).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
