package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SELU (Klambauer et al. 2017): f(z) = λ·(z if z &gt; 0 else α(e^z − 1)) with the self-normalising constants
 * α ≈ 1.6732632423543772, λ ≈ 1.0507009873554805; f'(z) = λ or λαe^z.
 */
public record Selu() implements Activation {

    /** {@code selu}: no options. */
    public static final Kind<Selu> KIND = Kind.of("selu", o -> new Selu());

    public static final double ALPHA = 1.6732632423543772848170429916717;
    public static final double SCALE = 1.0507009873554804934193349852946;

    @Override
    public String name() {
        return "selu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Elu.forward(z, ALPHA, SCALE);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return Elu.backward(z, ALPHA, SCALE, gradY);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
