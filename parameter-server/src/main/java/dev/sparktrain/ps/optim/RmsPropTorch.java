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
 * RMSProp as PyTorch's {@code torch.optim.RMSprop}: all state starts at zero and ε sits outside the root.
 * <pre>
 *   v   = α·v + (1 − α)·g²
 *   ṽ   = v                  (centered: g_avg = α·g_avg + (1 − α)·g,  ṽ = v − g_avg²)
 *   μ = 0:  Δ = −lr·g/(√ṽ + ε)
 *   μ &gt; 0:  b = μ·b + g/(√ṽ + ε),  Δ = −lr·b
 * </pre>
 * Slots {@code square_avg}, {@code grad_avg} (centered), {@code momentum_buffer} (μ &gt; 0). Defaults: lr 0.01,
 * α 0.99, ε 1e-8, μ 0, not centered.
 */
public record RmsPropTorch(double learningRate, double alpha, double epsilon, double momentum, boolean centered)
        implements UpdateRule {

    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_ALPHA = 0.99;
    public static final double DEFAULT_EPSILON = 1e-8;
    public static final double DEFAULT_MOMENTUM = 0.0;

    /** {@code rmsprop} with {@code flavour: pytorch}: lr [0.01], alpha [0.99], epsilon [1e-8], momentum [0], centered [false]. */
    public static final Kind<RmsPropTorch> KIND = Kind.of("pytorch",
            o -> new RmsPropTorch(o.number("lr", DEFAULT_LR), o.number("alpha", DEFAULT_ALPHA),
                    o.number("epsilon", DEFAULT_EPSILON), o.number("momentum", DEFAULT_MOMENTUM), o.bool("centered", false)),
            ConfigKey.optional("lr", DEFAULT_LR), ConfigKey.optional("alpha", DEFAULT_ALPHA),
            ConfigKey.optional("epsilon", DEFAULT_EPSILON), ConfigKey.optional("momentum", DEFAULT_MOMENTUM),
            ConfigKey.optional("centered", false));

    public RmsPropTorch {
        Check.positive(Optimizer.SECTION, "lr", learningRate);
        Check.unitInterval(Optimizer.SECTION, "alpha", alpha);
        Check.positive(Optimizer.SECTION, "epsilon", epsilon);
        Check.unitInterval(Optimizer.SECTION, "momentum", momentum);
    }

    public static RmsPropTorch defaults(double lr) {
        return new RmsPropTorch(lr, DEFAULT_ALPHA, DEFAULT_EPSILON, DEFAULT_MOMENTUM, false);
    }

    @Override
    public String name() {
        return "rmsprop_torch";
    }

    @Override
    public Set<String> slotNames() {
        Set<String> names = new java.util.LinkedHashSet<>();
        names.add("square_avg");
        if (centered) {
            names.add("grad_avg");
        }
        if (momentum > 0) {
            names.add("momentum_buffer");
        }
        return Set.copyOf(names);
    }

    @Override
    public OptimizerState init(INDArray params) {
        Map<String, INDArray> slots = new LinkedHashMap<>();
        for (String s : slotNames()) {
            slots.put(s, params.ulike().assign(0));
        }
        return new OptimizerState(0, slots);
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        Map<String, INDArray> next = new LinkedHashMap<>();
        INDArray v = state.slot("square_avg").mul(alpha).addi(g.mul(g).muli(1 - alpha));
        next.put("square_avg", v);
        INDArray centeredV = v;
        if (centered) {
            INDArray gAvg = state.slot("grad_avg").mul(alpha).addi(g.mul(1 - alpha));
            next.put("grad_avg", gAvg);
            centeredV = v.sub(gAvg.mul(gAvg));
        }
        INDArray scaled = g.div(Transforms.sqrt(centeredV, true).addi(epsilon));
        INDArray delta;
        if (momentum > 0) {
            INDArray b = state.slot("momentum_buffer").mul(momentum).addi(scaled);
            next.put("momentum_buffer", b);
            delta = b.mul(-lr);
        } else {
            delta = scaled.muli(-lr);
        }
        return new OptimizerUpdate(delta, new OptimizerState(state.step() + 1, next));
    }
}
