package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;
import static dev.sparktrain.jobs.onnx.OnnxGraph.real;

import dev.sparktrain.ops.layers.ActivationLayer;
import dev.sparktrain.ops.layers.BatchNorm;
import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.Dropout;
import dev.sparktrain.ops.layers.Flatten;
import dev.sparktrain.ops.layers.GlobalAvgPool;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Residual;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX form of every layer kind, one entry per kind (the larger ones in their own class). A layer kind without an
 * entry is refused with one line naming the layer, never skipped: {@link #export} is the only way in.
 */
final class OnnxLayers {

    private static final Map<Class<?>, LayerMapping<?>> MAPPINGS = new HashMap<>();

    static {
        register(Dense.class, OnnxLayers::dense);
        register(Conv2d.class, new Conv2dMapping());
        register(Pool2d.class, new Pool2dMapping());
        register(Residual.class, new ResidualMapping());
        register(GlobalAvgPool.class, (s, l, g) -> g.node("Flatten", l.name(), List.of(g.node("GlobalAveragePool",
                l.name() + ".pool", List.of(l.value()))), integer("axis", 1)));
        register(Flatten.class, (s, l, g) -> g.node("Flatten", l.name(), List.of(l.value()), integer("axis", 1)));
        // Inference: dropout is the identity (inverted dropout scales at training time only).
        register(Dropout.class, (s, l, g) -> g.node("Identity", l.name(), List.of(l.value())));
        register(BatchNorm.class, (s, l, g) -> g.node("BatchNormalization", l.name(), List.of(l.value(),
                l.param("gamma", g), l.param("beta", g), l.param("running_mean", g), l.param("running_var", g)),
                real("epsilon", s.epsilon())));
        register(ActivationLayer.class, (s, l, g) -> {
            String out = OnnxActivations.apply(s.activation(), l.value(), l.name() + "." + s.activation().name(), g,
                    l.name());
            return out.equals(l.value()) ? g.node("Identity", l.name(), List.of(out)) : out;
        });
    }

    private OnnxLayers() {
    }

    private static <S extends LayerSpec> void register(Class<S> kind, LayerMapping<S> mapping) {
        MAPPINGS.put(kind, mapping);
    }

    /** Whether this layer kind has an ONNX form. */
    static boolean has(LayerSpec layer) {
        return MAPPINGS.containsKey(layer.getClass());
    }

    /** Adds the layer's nodes; returns the name of its output value. */
    @SuppressWarnings("unchecked")
    static String export(LayerSpec layer, LayerInput input, OnnxGraph graph) {
        LayerMapping<LayerSpec> mapping = (LayerMapping<LayerSpec>) MAPPINGS.get(layer.getClass());
        if (mapping == null) {
            throw new IllegalArgumentException("layer " + input.name() + " cannot be exported to ONNX: no ONNX mapping "
                    + "for layer kind '" + layer.kind() + "'");
        }
        return mapping.export(layer, input, graph);
    }

    /** y = f(x·W + b): one Gemm ({@code W} is {@code [in, out]}, as ONNX's B without transB), then the activation. */
    private static String dense(Dense s, LayerInput l, OnnxGraph g) {
        String z = g.node("Gemm", l.name(), List.of(l.value(), l.param("W", g), l.param("b", g)));
        return OnnxActivations.apply(s.activation(), z, l.name() + "." + s.activation().name(), g, l.name());
    }
}
