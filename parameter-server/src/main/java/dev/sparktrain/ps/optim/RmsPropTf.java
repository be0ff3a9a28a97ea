package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSProp as TensorFlow 1.15's {@code tf.train.RMSPropOptimizer} (kernels ApplyRMSProp / ApplyCenteredRMSProp):
 * ms starts at ONES, mom and mg at zero; ε sits inside the square root and lr inside the momentum buffer.
 * <pre>
 *   ms  = ρ·ms + (1 − ρ)·g²
 *   mg  = ρ·mg + (1 − ρ)·g                           (centered only)
 *   mom = μ·mom + lr·g/√(ms + ε)                     (centered: lr·g/√(ms − mg² + ε))
 *   Δ   = −mom
 * </pre>
 * So the first step (μ = 0 or not) is lr·g/√(ρ + (1 − ρ)·g² + ε). Slots {@code ms}, {@code mom} and, centered,
 * {@code mg}. Defaults: lr 1e-3, decay ρ 0.9, momentum μ 0, ε 1e-10, not centered.
 */
public record RmsPropTf(double learningRate, double decay, double momentum, double epsilon, boolean centered)
        implements UpdateRule {

    public static final double DEFAULT_LR = 1e-3;
    public static final double DEFAULT_DECAY = 0.9;
    public static final double DEFAULT_MOMENTUM = 0.0;
    public static final double DEFAULT_EPSILON = 1e-10;

    /** {@code rmsprop} with {@code flavour: tensorflow}: lr [1e-3], decay [0.9], momentum [0], epsilon [1e-10], centered [false]. */
    public static final Kind<RmsPropTf> KIND = Kind.of("tensorflow",
            o -> new RmsPropTf(o.number("lr", DEFAULT_LR), o.number("decay", DEFAULT_DECAY),
                    o.number("momentum", DEFAULT_MOMENTUM), o.number("epsilon", DEFAULT_EPSILON), o.bool("centered", false)),
            ConfigKey.optional("lr", DEFAULT_LR), ConfigKey.optional("decay", DEFAULT_DECAY),
            ConfigKey.optional("momentum", DEFAULT_MOMENTUM), ConfigKey.optional("epsilon", DEFAULT_EPSILON),
            ConfigKey.optional("centered", false));

    public RmsPropTf {
        Check.positive(Optimizer.SECTION, "lr", learningRate);
        Check.unitInterval(Optimizer.SECTION, "decay", decay);
        Check.unitInterval(Optimizer.SECTION, "momentum", momentum);
        Check.positive(Optimizer.SECTION, "epsilon", epsilon);
    }

    public static RmsPropTf defaults(double lr) {
        return new RmsPropTf(lr, DEFAULT_DECAY, DEFAULT_MOMENTUM, DEFAULT_EPSILON, false);
    }

    @Override
    public String name() {
        return "rmsprop_tf";
    }

    @Override
    public Set<String> slotNames() {
        return centered ? Set.of("ms", "mom", "mg") : Set.of("ms", "mom");
    }

    @Override
    public OptimizerState init(INDArray params) {
        Map<String, INDArray> slots = new LinkedHashMap<>();
        slots.put("ms", params.ulike().assign(1));
        slots.put("mom", params.ulike().assign(0));
        if (centered) {
            slots.put("mg", params.ulike().assign(0));
        }
        return new OptimizerState(0, slots);
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        Map<String, INDArray> next = new LinkedHashMap<>();
        INDArray ms = state.slot("ms").mul(decay).addi(g.mul(g).muli(1 - decay));
        next.put("ms", ms);
        INDArray inner = ms.add(epsilon);
        if (centered) {
            INDArray mg = state.slot("mg").mul(decay).addi(g.mul(1 - decay));
            next.put("mg", mg);
            inner.subi(mg.mul(mg));
        }
        INDArray mom = state.slot("mom").mul(momentum).addi(g.mul(lr).divi(Transforms.sqrt(inner, false)));
        next.put("mom", mom);
        return new OptimizerUpdate(mom.neg(), new OptimizerState(state.step() + 1, next));
    }
}
