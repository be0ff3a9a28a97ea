package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.InvalidField;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
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

    /**
     * The in-place step element by element, each term rounded to float32 as the whole-vector ND4J ops round it (their
     * scalars are float32): b ← b·μ + g, then θ ← θ + (g, b or b·μ + g)·(−lr).
     */
    @Override
    public ChunkStep chunkStep(OptimizerState state, double lr) {
        long t = state.step() + 1;
        float minusLr = (float) -lr;
        float mu = (float) momentum;
        return new ChunkStep() {
            @Override
            public List<String> slots() {
                return momentum == 0 ? List.of() : List.of("momentum");
            }

            @Override
            public void apply(float[] g, float[][] slots, float[] params, int len) {
                if (momentum == 0) {
                    for (int i = 0; i < len; i++) {
                        params[i] += g[i] * minusLr;
                    }
                    return;
                }
                float[] b = slots[0];
                for (int i = 0; i < len; i++) {
                    float gi = g[i];
                    float bi = b[i] * mu + gi;
                    b[i] = bi;
                    params[i] += (nesterov ? bi * mu + gi : bi) * minusLr;
                }
            }

            @Override
            public OptimizerState after(OptimizerState before) {
                return new OptimizerState(t, before.slots());
            }
        };
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
