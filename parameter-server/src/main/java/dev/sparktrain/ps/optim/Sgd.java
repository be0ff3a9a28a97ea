package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent, plain or with (Nesterov) momentum, in PyTorch's convention (dampening 0): the
 * buffer holds gradients, not steps, so a changed learning rate acts at once.
 * <pre>
 *   plain:     Δ = −lr·g                                     (no state)
 *   momentum:  b_t = μ·b + g,   Δ = −lr·b_t                  (b_0 = 0, so b_1 = g as in PyTorch)
 *   Nesterov:  b_t = μ·b + g,   Δ = −lr·(g + μ·b_t)
 * </pre>
 * Sutskever et al.'s form v = μ·v − lr·g gives the same trajectory for a constant lr. Slot: {@code momentum}
 * (only when μ &gt; 0). Defaults: lr 0.01, μ 0, Nesterov off (Nesterov needs μ &gt; 0).
 */
public record Sgd(double learningRate, double momentum, boolean nesterov) implements UpdateRule {

    public static final double DEFAULT_LR = 0.01;
    public static final double DEFAULT_MOMENTUM = 0.0;

    /** {@code sgd}: lr [0.01], momentum [0], nesterov [false]. */
    public static final Kind<Sgd> KIND = Kind.of("sgd",
            o -> new Sgd(o.number("lr", DEFAULT_LR), o.number("momentum", DEFAULT_MOMENTUM), o.bool("nesterov", false)),
            ConfigKey.optional("lr", DEFAULT_LR), ConfigKey.optional("momentum", DEFAULT_MOMENTUM),
            ConfigKey.optional("nesterov", false));

    public Sgd {
        Check.positive(Optimizer.SECTION, "lr", learningRate);
        Check.unitInterval(Optimizer.SECTION, "momentum", momentum);
        if (nesterov && momentum == 0) {
            throw new InvalidField(Optimizer.SECTION, "nesterov", "needs {}momentum > 0, got 0.0");
        }
    }

    public static Sgd plain(double lr) {
        return new Sgd(lr, 0, false);
    }

    public static Sgd momentum(double lr, double momentum) {
        return new Sgd(lr, momentum, false);
    }

    public static Sgd nesterov(double lr, double momentum) {
        return new Sgd(lr, momentum, true);
    }

    @Override
    public String name() {
        return nesterov ? "nesterov" : momentum > 0 ? "momentum" : "sgd";
    }

    @Override
    public Set<String> slotNames() {
        return momentum > 0 ? Set.of("momentum") : Set.of();
    }

    @Override
    public OptimizerState init(INDArray params) {
        return momentum > 0 ? new OptimizerState(0, Map.of("momentum", params.ulike().assign(0)))
                : new OptimizerState(0, Map.of());
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        long t = state.step() + 1;
        if (momentum == 0) {
            return new OptimizerUpdate(g.mul(-lr), new OptimizerState(t, Map.of()));
        }
        INDArray b = state.slot("momentum").mul(momentum).addi(g);
        INDArray direction = nesterov ? b.mul(momentum).addi(g) : b;
        return new OptimizerUpdate(direction.mul(-lr), new OptimizerState(t, Map.of("momentum", b)));
    }
}
