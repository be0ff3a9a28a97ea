package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.config.Registry;
import dev.sparktrain.ops.config.Suggestions;
import dev.sparktrain.ops.init.WeightInit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds layer descriptions from configuration: {@code type} picks one of the registered kinds, each of which
 * declares its options and defaults next to its class (see the {@code KIND} constants, e.g. {@link Dense#KIND}).
 * An activation is a name or a map with parameters (see {@link Activations}); weight_init is one of
 * {@link WeightInit#names()} or {@code {type: constant, value: 0.1}}. A new layer kind is its class plus one line
 * here.
 */
public final class LayerSpecs {

    /** Every layer kind, in the order the documentation lists them. */
    public static final Registry<LayerSpec> REGISTRY = new Registry<>(
            Dense.KIND,
            Conv2d.KIND,
            Pool2d.MAX_KIND,
            Pool2d.AVG_KIND,
            GlobalAvgPool.KIND,
            Flatten.KIND,
            Dropout.KIND,
            BatchNorm.KIND,
            ActivationLayer.KIND,
            Residual.KIND);

    private LayerSpecs() {
    }

    public static List<String> kinds() {
        return REGISTRY.names();
    }

    /** One layer from its options; {@code type} picks the kind. Errors name the option's path. */
    public static LayerSpec create(Options o) {
        String name = o.string("type");
        Kind<? extends LayerSpec> kind = REGISTRY.find(name).orElseThrow(() -> new IllegalArgumentException(
                o.field("type") + " '" + name + "' is not a layer kind" + Suggestions.didYouMean(name, kinds())));
        try {
            return kind.create(o, "type");
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            if (o.path().isEmpty() || message.contains(o.path())) {
                throw new IllegalArgumentException(message, e);
            }
            throw new IllegalArgumentException(o.path() + ": " + message, e);
        }
    }

    /** {@code layer} and, depth first, every layer nested inside it. */
    public static List<LayerSpec> selfAndDescendants(LayerSpec layer) {
        List<LayerSpec> out = new ArrayList<>();
        out.add(layer);
        for (LayerSpec child : layer.children()) {
            out.addAll(selfAndDescendants(child));
        }
        return out;
    }
}
