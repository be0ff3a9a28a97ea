package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** f(z) = z for z &gt; 0, αz otherwise; f'(z) = 1 or α (α at 0). Default α = 0.01 (PyTorch, Keras 3). */
public record LeakyRelu(double alpha) implements Activation {

    /** {@code leaky_relu}: alpha [0.01]. */
    public static final Kind<LeakyRelu> KIND = Kind.of("leaky_relu",
            o -> new LeakyRelu(o.number("alpha", Activations.LEAKY_RELU_ALPHA)),
            ConfigKey.optional("alpha", Activations.LEAKY_RELU_ALPHA));

    public LeakyRelu {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("leaky_relu.alpha must be a finite number >= 0, got " + alpha);
        }
    }

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return z.mul(slope(z));
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return slope(z).muli(gradY);
    }

    /** 1 where z &gt; 0, α elsewhere. */
    private INDArray slope(INDArray z) {
        return Ops.positiveMask(z).muli(1 - alpha).addi(alpha);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
