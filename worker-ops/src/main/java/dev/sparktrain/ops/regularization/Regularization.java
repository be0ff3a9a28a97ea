package dev.sparktrain.ops.regularization;

import dev.sparktrain.ops.config.Options;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The network's regularization: a global {@link Penalty} on every weight tensor (dense and conv {@code W}; not
 * biases, batch-norm scale/shift or running statistics), per-layer overrides by layer index, and one switch,
 * {@code enabled}, that turns off all penalties AND all dropout (for debugging: gradient checks, overfitting a
 * tiny batch). Config:
 * <pre>
 * regularization:
 *   l1: 0
 *   l2: 1.0e-4                                       # SQUARED norm, Keras' l2(x): loss + x·Σw², gradient + 2x·w
 *   l2_norm: 0                                       # the unsquared norm: loss + x·‖w‖₂, gradient + x·w/‖w‖₂
 *   elastic_net: {strength: 1.0e-3, l1_ratio: 0.5}   # instead of l1/l2
 *   layers: {"3": {l2: 1.0e-3}}                      # overrides for layer 3
 *   enabled: true
 * </pre>
 */
public record Regularization(Penalty global, Map<Integer, Penalty> perLayer, boolean enabled)
        implements java.io.Serializable {

    /** No penalty, dropout on. */
    public static final Regularization NONE = new Regularization(Penalty.NONE, Map.of(), true);

    public Regularization {
        if (global == null) {
            throw new IllegalArgumentException("regularization penalty must be set");
        }
        perLayer = Map.copyOf(perLayer);
    }

    public static Regularization of(Penalty global) {
        return new Regularization(global, Map.of(), true);
    }

    /** The same settings with the switch set. */
    public Regularization withEnabled(boolean on) {
        return new Regularization(global, perLayer, on);
    }

    /** The same with an override for one layer. */
    public Regularization withLayer(int index, Penalty penalty) {
        Map<Integer, Penalty> map = new TreeMap<>(perLayer);
        map.put(index, penalty);
        return new Regularization(global, map, enabled);
    }

    /** The penalty on layer {@code index}'s weights; {@link Penalty#NONE} when switched off. */
    public Penalty forLayer(int index) {
        return enabled ? perLayer.getOrDefault(index, global) : Penalty.NONE;
    }

    /** Reads the config block shown in the class comment. */
    public static Regularization create(Options o) {
        Penalty global = penalty(o);
        Map<Integer, Penalty> layers = new TreeMap<>();
        if (o.has("layers")) {
            Options block = o.sub("layers");
            for (String key : block.keys()) {
                int index;
                try {
                    index = Integer.parseInt(key.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(block.field(key) + ": expected a layer index, got '" + key + "'");
                }
                Options layer = block.sub(key);
                layers.put(index, penalty(layer));
                layer.done(Set.of("l1", "l2", "l2_norm", "elastic_net"));
            }
        }
        boolean enabled = o.bool("enabled", true);
        o.done(Set.of("l1", "l2", "l2_norm", "elastic_net", "layers", "enabled"));
        return new Regularization(global, layers, enabled);
    }

    private static Penalty penalty(Options o) {
        if (o.has("elastic_net")) {
            if (o.has("l1") || o.has("l2")) {
                throw new IllegalArgumentException(o.field("elastic_net")
                        + " replaces l1 and l2: give one or the other");
            }
            Options e = o.sub("elastic_net");
            Penalty p = Penalty.elasticNet(e.number("strength"), e.number("l1_ratio"));
            e.done(Set.of("strength", "l1_ratio"));
            return new Penalty(p.l1(), p.l2(), o.number("l2_norm", 0));
        }
        try {
            return new Penalty(o.number("l1", 0), o.number("l2", 0), o.number("l2_norm", 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(o.path() + ": " + e.getMessage(), e);
        }
    }
}
