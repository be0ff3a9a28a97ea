package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad (Duchi et al.) in PyTorch's convention: the accumulator starts at {@code initial_accumulator}
 * (default 0) and ε sits outside the root.
 * <pre>
 *   s = s + g²,   Δ = −lr·g/(√s + ε)
 * </pre>
 * TensorFlow 1.15's {@code AdagradOptimizer} is the same rule with initial accumulator 0.1 and no ε; use
 * {@code new Adagrad(lr, 0.1, 0)} for it. Slot {@code sum}. Defaults: lr 0.01, initial accumulator 0, ε 1e-10.
 */
public record Adagrad(double learningRate, double initialAccumulator, double epsilon) implements UpdateRule {

    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_INITIAL_ACCUMULATOR = 0.0;
    public static final double DEFAULT_EPSILON = 1e-10;

    /** {@code adagrad}: lr [0.01], initial_accumulator [0], epsilon [1e-10]. */
    public static final Kind<Adagrad> KIND = Kind.of("adagrad",
            o -> new Adagrad(o.number("lr", DEFAULT_LR), o.number("initial_accumulator", DEFAULT_INITIAL_ACCUMULATOR),
                    o.number("epsilon", DEFAULT_EPSILON)),
            ConfigKey.optional("lr", DEFAULT_LR), ConfigKey.optional("initial_accumulator", DEFAULT_INITIAL_ACCUMULATOR),
            ConfigKey.optional("epsilon", DEFAULT_EPSILON));

    public Adagrad {
        Check.positive(Optimizer.SECTION, "lr", learningRate);
        Check.nonNegative(Optimizer.SECTION, "initial_accumulator", initialAccumulator);
        Check.nonNegative(Optimizer.SECTION, "epsilon", epsilon);
        if (initialAccumulator == 0 && epsilon == 0) {
            throw new InvalidField(Optimizer.SECTION, "epsilon", "must be > 0 when {}initial_accumulator is 0, got 0.0"
                    + " (a zero gradient would divide 0 by 0)");
        }
    }

    public static Adagrad defaults(double lr) {
        return new Adagrad(lr, DEFAULT_INITIAL_ACCUMULATOR, DEFAULT_EPSILON);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public Set<String> slotNames() {
        return Set.of("sum");
    }

    @Override
    public OptimizerState init(INDArray params) {
        return new OptimizerState(0, Map.of("sum", params.ulike().assign(initialAccumulator)));
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        INDArray sum = state.slot("sum").add(g.mul(g));
        INDArray delta = g.div(Transforms.sqrt(sum, true).addi(epsilon)).muli(-lr);
        return new OptimizerUpdate(delta, new OptimizerState(state.step() + 1, Map.of("sum", sum)));
    }
}
