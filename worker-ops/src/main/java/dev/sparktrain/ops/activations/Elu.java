package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ELU (Clevert et al. 2015): f(z) = z for z &gt; 0, α(e^z − 1) otherwise; f'(z) = 1 or αe^z. The exponential is
 * taken of min(z, 0), so large positive inputs never overflow. Default α = 1.
 */
public record Elu(double alpha) implements Activation {

    /** {@code elu}: alpha [1]. */
    public static final Kind<Elu> KIND = Kind.of("elu", o -> new Elu(o.number("alpha", Activations.ELU_ALPHA)),
            ConfigKey.optional("alpha", Activations.ELU_ALPHA));

    public Elu {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("elu.alpha must be a finite number > 0, got " + alpha);
        }
    }

    @Override
    public String name() {
        return "elu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return forward(z, alpha, 1.0);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return backward(z, alpha, 1.0, gradY);
    }

    /** scale · (z if z &gt; 0 else α(e^z − 1)). */
    static INDArray forward(INDArray z, double alpha, double scale) {
        INDArray negative = Transforms.expm1(Transforms.min(z, 0.0, true), false).muli(alpha);
        return Transforms.relu(z, true).addi(negative).muli(scale);
    }

    /** scale · (1 if z &gt; 0 else αe^z) · gradY. */
    static INDArray backward(INDArray z, double alpha, double scale, INDArray gradY) {
        INDArray mask = Ops.positiveMask(z);
        INDArray negative = Transforms.exp(Transforms.min(z, 0.0, true), false).muli(alpha).muli(mask.rsub(1.0));
        return mask.addi(negative).muli(scale).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return alpha == 1.0;
    }
}
