package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma &amp; Ba, 2015). With t the step (from 1), m_0 = v_0 = 0:
 * <pre>
 *   m_t = β1·m + (1 − β1)·g
 *   v_t = β2·v + (1 − β2)·g²
 *   PyTorch / paper:  Δ = −lr · (m_t/(1 − β1ᵗ)) / (√(v_t/(1 − β2ᵗ)) + ε)
 *   TensorFlow (ε̂):   Δ = −lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m_t / (√v_t + ε)
 * </pre>
 * AMSGrad (Reddi et al.) keeps v_max = max(v_max, v_t) and uses it in place of v_t in the denominator (PyTorch
 * and Keras both take the maximum of the raw v and bias-correct afterwards). Slots {@code m}, {@code v}, and
 * {@code v_max} with AMSGrad. Defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-8, {@link EpsilonConvention#PYTORCH},
 * no AMSGrad.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon, EpsilonConvention convention,
        boolean amsgrad) implements UpdateRule {

    public static final double DEFAULT_LR = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    /** {@code adam}: lr [1e-3], beta1 [0.9], beta2 [0.999], epsilon [1e-8], epsilon_convention [pytorch], amsgrad [false]. */
    public static final Kind<Adam> KIND = Kind.of("adam", Adam::fromOptions,
            ConfigKey.optional("lr", DEFAULT_LR), ConfigKey.optional("beta1", DEFAULT_BETA1),
            ConfigKey.optional("beta2", DEFAULT_BETA2), ConfigKey.optional("epsilon", DEFAULT_EPSILON),
            ConfigKey.optional("epsilon_convention", EpsilonConvention.PYTORCH.configName()),
            ConfigKey.optional("amsgrad", false));

    /** Adam from the keys of {@link #KIND}. */
    static Adam fromOptions(Options o) {
        return new Adam(o.number("lr", DEFAULT_LR), o.number("beta1", DEFAULT_BETA1), o.number("beta2", DEFAULT_BETA2),
                o.number("epsilon", DEFAULT_EPSILON), EpsilonConvention.parse(o.field("epsilon_convention"),
                        o.string("epsilon_convention", EpsilonConvention.PYTORCH.configName())),
                o.bool("amsgrad", false));
    }
    /** In-place steps between flushes of tiny moments; m shrinks by at most 0.9⁶⁴ ≈ 1e-3 in between. */
    static final int FLUSH_EVERY = 64;
    /** Moments below this are flushed to 0; 1e-30·0.9⁶⁴ is still above float32's smallest normal (1.2e-38). */
    static final double FLUSH_BELOW = 1e-30;

    public Adam {
        Check.positive(Optimizer.SECTION, "lr", learningRate);
        Check.unitInterval(Optimizer.SECTION, "beta1", beta1);
        Check.unitInterval(Optimizer.SECTION, "beta2", beta2);
        Check.positive(Optimizer.SECTION, "epsilon", epsilon);
        if (convention == null) {
            throw new InvalidField(Optimizer.SECTION, "epsilon_convention", "must be pytorch or tensorflow, got null");
        }
    }

    /** PyTorch's convention, no AMSGrad. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, beta1, beta2, epsilon, EpsilonConvention.PYTORCH, false);
    }

    public static Adam defaults(double learningRate) {
        return new Adam(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public Set<String> slotNames() {
        return amsgrad ? Set.of("m", "v", "v_max") : Set.of("m", "v");
    }

    @Override
    public OptimizerState init(INDArray params) {
        Map<String, INDArray> slots = new LinkedHashMap<>();
        for (String s : amsgrad ? new String[] {"m", "v", "v_max"} : new String[] {"m", "v"}) {
            slots.put(s, params.ulike().assign(0));
        }
        return new OptimizerState(0, slots);
    }

    /**
     * One fused pass updates m, v and the parameters in place: {@link AdamLoop} for float32 vectors that are whole
     * native buffers (the trainer's), libnd4j's {@code adam_updater} and a subtraction otherwise. Both compute the
     * TensorFlow form, and the paper's form is the same with ε·√(1 − β2ᵗ) in place of ε (multiply the paper's
     * numerator and denominator by √(1 − β2ᵗ)). Equal to {@link #update} up to float rounding. AMSGrad takes the
     * general path.
     *
     * <p>Entries whose gradient stays 0 (dead units, always-blank pixels) decay m by β1 every step into float32's
     * subnormal range, where CPU arithmetic is an order of magnitude slower (a measured 12 ms instead of 1 ms per
     * step of the Fashion MLP). So every {@value #FLUSH_EVERY} steps this path sets m and v entries below
     * {@value #FLUSH_BELOW} to 0, as flush-to-zero hardware modes do: such an entry moves its weight by less than
     * lr·1e-30/ε, far below a float's resolution at any weight that matters.
     */
    @Override
    public Step stepInPlace(INDArray g, OptimizerState state, INDArray params, double lr) {
        if (amsgrad || g.dataType() != params.dataType()) {
            return UpdateRule.super.stepInPlace(g, state, params, lr);
        }
        long t = state.step() + 1;
        double eps = convention == EpsilonConvention.PYTORCH ? epsilon * Math.sqrt(1 - Math.pow(beta2, t)) : epsilon;
        INDArray m = state.slot("m");
        INDArray v = state.slot("v");
        if (AdamLoop.applies(g, m, v, params)) {
            AdamLoop.step(g, m, v, params, new AdamLoop.Kernel(beta1, beta2, eps, stepSize(lr, t), flushes(t)));
            return new Step(params, after(t, m, v));
        }
        // The op's iteration counts from 0 and bias-corrects with iteration + 1.
        Nd4j.exec(new AdamUpdater(g, v, m, lr, beta1, beta2, eps, Math.toIntExact(t - 1)));
        params.subi(g);
        if (flushes(t)) {
            BooleanIndexing.replaceWhere(m, 0.0, Conditions.absLessThan(FLUSH_BELOW));
            BooleanIndexing.replaceWhere(v, 0.0, Conditions.absLessThan(FLUSH_BELOW));
        }
        return new Step(params, after(t, m, v));
    }

    /**
     * The in-place step ({@link #stepInPlace}) element by element, for float32 state without AMSGrad: the same
     * coefficients and the same arithmetic ({@link AdamLoop.Kernel}), then the same flush.
     */
    @Override
    public ChunkStep chunkStep(OptimizerState state, double lr) {
        if (amsgrad) {
            return null;
        }
        long t = state.step() + 1;
        double eps = convention == EpsilonConvention.PYTORCH ? epsilon * Math.sqrt(1 - Math.pow(beta2, t)) : epsilon;
        AdamLoop.Kernel kernel = new AdamLoop.Kernel(beta1, beta2, eps, stepSize(lr, t), flushes(t));
        return new ChunkStep() {
            @Override
            public List<String> slots() {
                return List.of("m", "v");
            }

            @Override
            public void apply(float[] g, float[][] slots, float[] params, int len) {
                kernel.apply(g, slots, params, len);
            }

            @Override
            public OptimizerState after(OptimizerState before) {
                return Adam.after(t, before.slot("m"), before.slot("v"));
            }
        };
    }

    /** The TensorFlow-form step size at step t: lr·√(1 − β2ᵗ)/(1 − β1ᵗ). */
    private double stepSize(double lr, long t) {
        return lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    }

    /** Whether step t of the in-place paths ends by flushing tiny moments: every {@value #FLUSH_EVERY} steps. */
    static boolean flushes(long t) {
        return t % FLUSH_EVERY == 0;
    }

    /** The state after step t of the in-place paths, whose moments are m and v. */
    private static OptimizerState after(long t, INDArray m, INDArray v) {
        Map<String, INDArray> next = new LinkedHashMap<>();
        next.put("m", m);
        next.put("v", v);
        return new OptimizerState(t, next);
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        long t = state.step() + 1;
        Map<String, INDArray> next = new LinkedHashMap<>();
        INDArray m = state.slot("m").mul(beta1).addi(g.mul(1 - beta1));
        INDArray v = state.slot("v").mul(beta2).addi(g.mul(g).muli(1 - beta2));
        next.put("m", m);
        next.put("v", v);
        INDArray second = v;
        if (amsgrad) {
            second = Transforms.max(state.slot("v_max"), v, true);
            next.put("v_max", second);
        }
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        INDArray delta;
        if (convention == EpsilonConvention.PYTORCH) {
            INDArray denom = Transforms.sqrt(second.div(c2), false).addi(epsilon);
            delta = m.div(denom).muli(-lr / c1);
        } else {
            INDArray denom = Transforms.sqrt(second, true).addi(epsilon);
            delta = m.div(denom).muli(-lr * Math.sqrt(c2) / c1);
        }
        return new OptimizerUpdate(delta, new OptimizerState(t, next));
    }
}
