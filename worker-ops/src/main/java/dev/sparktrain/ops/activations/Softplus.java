package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softplus as PyTorch's {@code Softplus(beta, threshold)}: f(z) = (1/β)·log(1 + e^(βz)), and f(z) = z where
 * βz &gt; threshold (reverting to the linear function, as PyTorch does, where the two differ by less than
 * e^(−threshold)/β); f'(z) = σ(βz), or 1 above the threshold. Computed in double as max(t, 0) + log1p(e^−|t|) with
 * t = βz, so it neither overflows for large z nor loses relative precision in the negative tail, where f(z) ≈ e^(βz)/β.
 * Defaults β = 1, threshold = 20 (PyTorch's).
 */
public record Softplus(double beta, double threshold) implements Activation {

    public static final double DEFAULT_BETA = 1.0;
    public static final double DEFAULT_THRESHOLD = 20.0;

    /** {@code softplus}: beta [1], threshold [20]. */
    public static final Kind<Softplus> KIND = Kind.of("softplus",
            o -> new Softplus(o.number("beta", DEFAULT_BETA), o.number("threshold", DEFAULT_THRESHOLD)),
            ConfigKey.optional("beta", DEFAULT_BETA), ConfigKey.optional("threshold", DEFAULT_THRESHOLD));

    public Softplus() {
        this(DEFAULT_BETA, DEFAULT_THRESHOLD);
    }

    public Softplus {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("softplus.beta must be a finite number > 0, got " + beta);
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("softplus.threshold must be > 0, got " + threshold);
        }
    }

    @Override
    public String name() {
        return "softplus";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.softplus(z, beta, threshold);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return Ops.softplusDerivative(z, beta, threshold).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
