package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: in a training pass with dropout on, each value is kept with probability 1 − rate and scaled
 * by 1/(1 − rate), y = x·m/(1 − rate), m ~ Bernoulli(1 − rate); otherwise (inference, or regularization switched
 * off) y = x. The mask is drawn from ND4J's generator seeded with {@link #maskSeed}(context seed, layer index),
 * so a re-run task draws the same mask. It reseeds the calling thread's ND4J generator.
 */
public record Dropout(double rate) implements LayerSpec {

    /** {@code dropout}: rate. */
    public static final Kind<Dropout> KIND = Kind.of("dropout", o -> new Dropout(o.number("rate")),
            ConfigKey.required("rate", 0.5));

    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout.rate must be in [0, 1), got " + rate);
        }
    }

    /** The mask seed of layer {@code index} for a pass seeded {@code seed}. */
    public static long maskSeed(long seed, int index) {
        return seed * 0x9E3779B97F4A7C15L + 1_000_003L * (index + 1);
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public List<ParamShape> params(Shape input) {
        return List.of();
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.empty();
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return List.of();
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return build(0, input, params, grads);
    }

    @Override
    public Layer build(int index, Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new Layer() {
            private INDArray mask;

            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                if (!context.dropout() || rate == 0) {
                    mask = null;
                    return x;
                }
                Nd4j.getRandom().setSeed(maskSeed(context.seed(), index));
                INDArray uniform = Nd4j.rand(x.dataType(), x.shape());
                mask = uniform.gte(rate).castTo(x.dataType()).divi(1 - rate);
                return x.mul(mask);
            }

            @Override
            public INDArray backward(INDArray g) {
                return mask == null ? g : g.mul(mask);
            }
        };
    }
}
