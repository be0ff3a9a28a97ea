package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import dev.sparktrain.ops.config.Suggestions;
import java.util.List;
import java.util.Map;

/**
 * Looks activations up by config name. In a config an activation is either a bare name, which takes the
 * defaults ({@code activation: leaky_relu}, α = 0.01), or a map with its parameters
 * ({@code activation: {type: leaky_relu, alpha: 0.2}}, {@code {type: elu, alpha: 0.5}}). Each activation declares
 * its parameters next to its class (the {@code KIND} constants; only {@code leaky_relu} and {@code elu} take one,
 * {@code alpha}); {@code swish} is an alias of {@code silu}, {@code linear} of {@code identity}. A new activation
 * is its class plus one line here.
 */
public final class Activations {

    /** Default slope of leaky_relu for negative inputs (PyTorch and Keras 3). */
    public static final double LEAKY_RELU_ALPHA = 0.01;
    /** Default α of elu. */
    public static final double ELU_ALPHA = 1.0;

    /** Every activation by config name, aliases included. */
    public static final Registry<Activation> REGISTRY = new Registry<>(
            Identity.KIND,
            Identity.KIND.alias("linear"),
            Relu.KIND,
            LeakyRelu.KIND,
            Elu.KIND,
            Selu.KIND,
            Gelu.KIND,
            Gelu.TANH_KIND,
            Silu.KIND,
            Silu.KIND.alias("swish"),
            Mish.KIND,
            Softplus.KIND,
            Sigmoid.KIND,
            HardSigmoid.KIND,
            Tanh.KIND,
            HardTanh.KIND,
            Softsign.KIND,
            Softmax.KIND,
            LogSoftmax.KIND);

    private Activations() {
    }

    /** Names accepted by {@link #byName}. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /** The activation of that name with default parameters. */
    public static Activation byName(String name) {
        return kind(name).build(new Options(name, Map.of()));
    }

    private static Kind<? extends Activation> kind(String name) {
        return REGISTRY.find(name).orElseThrow(() -> new IllegalArgumentException("unknown activation '" + name
                + "'" + Suggestions.didYouMean(name, names()) + "; expected one of " + names()));
    }

    /**
     * The activation under {@code key} of a layer's options (a name or a map, see the class comment), or
     * {@code fallback} when the key is absent. Errors name the field.
     */
    public static Activation create(Options layer, String key, String fallback) {
        if (!layer.has(key)) {
            return byName(fallback);
        }
        if (!layer.isMap(key)) {
            String name = layer.string(key);
            try {
                return byName(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(layer.field(key) + ": " + e.getMessage(), e);
            }
        }
        Options o = layer.sub(key);
        String type = o.string("type");
        Kind<? extends Activation> kind;
        Activation activation;
        try {
            kind = kind(type);
            activation = kind.build(o);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(o.path() + ": " + e.getMessage(), e);
        }
        kind.refuseOtherKeys(o, "type");
        return activation;
    }
}
