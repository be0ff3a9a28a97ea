package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mish (Misra 2019): f(z) = z·tanh(softplus(z)); with t = tanh(softplus(z)),
 * f'(z) = t + z·(1 − t²)·σ(z) (since softplus' = σ). Softplus is the overflow-free form.
 */
public record Mish() implements Activation {

    /** {@code mish}: no options. */
    public static final Kind<Mish> KIND = Kind.of("mish", o -> new Mish());

    @Override
    public String name() {
        return "mish";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.tanh(Ops.softplus(z), false).muli(z);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray t = Transforms.tanh(Ops.softplus(z), false);
        INDArray rest = t.mul(t).rsubi(1).muli(z).muli(Ops.sigmoid(z));
        return t.addi(rest).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
