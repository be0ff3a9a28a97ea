package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.init.WeightInit;
import java.util.Set;

/** Readers for the option values several layer kinds share: sizes, padding and weight initialisers. */
final class LayerOptions {

    private LayerOptions() {
    }

    /** {@code n} or {@code [h, w]}; {@code fallback} when absent (null: required). */
    static Size2 size(Options o, String key, Size2 fallback) {
        if (!o.has(key) && fallback != null) {
            return fallback;
        }
        int[] v = o.integers(key, 2);
        return new Size2(v[0], v[1]);
    }

    /** {@code valid} (the default), {@code same}, {@code n} or {@code [h, w]}. */
    static Padding padding(Options o) {
        if (!o.has("padding")) {
            return Padding.VALID;
        }
        if (!o.isMap("padding")) {
            String s = o.string("padding").trim();
            if (s.equals("valid")) {
                return Padding.VALID;
            }
            if (s.equals("same")) {
                return Padding.SAME;
            }
            if (!s.matches("\\d+") && !s.startsWith("[")) {
                throw new IllegalArgumentException(o.field("padding") + " must be valid, same, n or [h, w], got '"
                        + s + "'");
            }
        }
        int[] v = o.integers("padding", 2);
        return Padding.explicit(v[0], v[1]);
    }

    /** One of {@link WeightInit#names()} or {@code {type: constant, value: 0.1}}; Glorot uniform when absent. */
    static WeightInit weightInit(Options o) {
        if (!o.has("weight_init")) {
            return WeightInit.GLOROT_UNIFORM;
        }
        if (o.isMap("weight_init")) {
            Options w = o.sub("weight_init");
            String type = w.string("type");
            WeightInit init = type.equals("constant") ? WeightInit.constant(w.number("value")) : WeightInit.byName(type);
            w.done(type.equals("constant") ? Set.of("type", "value") : Set.of("type"));
            return init;
        }
        return WeightInit.byName(o.string("weight_init"));
    }
}
