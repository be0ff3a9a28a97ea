package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hard sigmoid as in PyTorch's {@code Hardsigmoid} and Keras 3: f(z) = clip(z/6 + ½, 0, 1) = relu6(z + 3)/6;
 * f'(z) = 1/6 for −3 &lt; z &lt; 3, else 0. (Older Keras used clip(0.2z + 0.5): not this one.)
 */
public record HardSigmoid() implements Activation {

    /** {@code hard_sigmoid}: no options. */
    public static final Kind<HardSigmoid> KIND = Kind.of("hard_sigmoid", o -> new HardSigmoid());

    @Override
    public String name() {
        return "hard_sigmoid";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.min(Transforms.max(z.div(6).addi(0.5), 0.0, false), 1.0, false);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray inside = z.gt(-3).castTo(z.dataType()).muli(z.lt(3).castTo(z.dataType()));
        return inside.muli(1.0 / 6).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
