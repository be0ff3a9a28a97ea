package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * GELU (Hendrycks &amp; Gimpel 2016), two variants with two config names:
 * <ul>
 *   <li>{@code gelu} (exact): f(z) = z·Φ(z) = ½z(1 + erf(z/√2)); f'(z) = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π).</li>
 *   <li>{@code gelu_tanh} (approximation): f(z) = ½z(1 + tanh u), u = √(2/π)(z + 0.044715z³);
 *       f'(z) = ½(1 + tanh u) + ½z(1 − tanh²u)·√(2/π)(1 + 3·0.044715z²).</li>
 * </ul>
 */
public record Gelu(boolean tanhApproximation) implements Activation {

    /** {@code gelu} (exact, with erf): no options. */
    public static final Kind<Gelu> KIND = Kind.of("gelu", o -> new Gelu(false));
    /** {@code gelu_tanh} (the tanh approximation): no options. */
    public static final Kind<Gelu> TANH_KIND = Kind.of("gelu_tanh", o -> new Gelu(true));

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;

    @Override
    public String name() {
        return tanhApproximation ? "gelu_tanh" : "gelu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return z.mul(tanhApproximation ? halfOnePlusTanh(z) : phi(z));
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        if (tanhApproximation) {
            INDArray t = Transforms.tanh(inner(z), false);
            INDArray du = z.mul(z).muli(3 * CUBIC).addi(1).muli(SQRT_2_OVER_PI);
            INDArray sech2 = t.mul(t).rsubi(1);
            return t.addi(1).muli(0.5).addi(sech2.muli(du).muli(z).muli(0.5)).muli(gradY);
        }
        INDArray density = Transforms.exp(z.mul(z).muli(-0.5), false).muli(1 / Math.sqrt(2 * Math.PI));
        return phi(z).addi(density.muli(z)).muli(gradY);
    }

    /** Φ(z) = ½(1 + erf(z/√2)). */
    private static INDArray phi(INDArray z) {
        INDArray scaled = z.mul(1 / Math.sqrt(2));
        Nd4j.getExecutioner().exec(new Erf(scaled, scaled));
        return scaled.addi(1).muli(0.5);
    }

    private static INDArray inner(INDArray z) {
        return z.mul(z).muli(z).muli(CUBIC).addi(z).muli(SQRT_2_OVER_PI);
    }

    private static INDArray halfOnePlusTanh(INDArray z) {
        return Transforms.tanh(inner(z), false).addi(1).muli(0.5);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
