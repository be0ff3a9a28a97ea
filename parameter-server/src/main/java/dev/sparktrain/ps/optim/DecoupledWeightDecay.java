package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decoupled weight decay (Loshchilov &amp; Hutter) around any rule, scaled by the (scheduled) learning rate as in
 * PyTorch's AdamW: θ ← θ·(1 − lr·λ) and then the inner step, i.e. Δ = Δ_inner − lr·λ·θ. Around {@link Adam}
 * this is AdamW (PyTorch default λ = 0.01); the decay never enters the gradient or the inner state, unlike
 * {@link CoupledWeightDecay}.
 */
public record DecoupledWeightDecay(UpdateRule inner, double weightDecay) implements UpdateRule {

    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    public DecoupledWeightDecay {
        if (inner == null) {
            throw new IllegalArgumentException("decoupled weight decay needs an inner rule, got null");
        }
        Check.nonNegative("optimizer.weight_decay", weightDecay);
    }

    /** AdamW with PyTorch's defaults (β1 0.9, β2 0.999, ε 1e-8). */
    public static DecoupledWeightDecay adamW(double lr, double weightDecay) {
        return new DecoupledWeightDecay(Adam.defaults(lr), weightDecay);
    }

    @Override
    public double learningRate() {
        return inner.learningRate();
    }

    /** {@code adamw}, {@code sgdw}, ... */
    @Override
    public double learningRateAt(long step) {
        return inner.learningRateAt(step);
    }

    @Override
    public String name() {
        return inner.name() + "w";
    }

    @Override
    public Set<String> slotNames() {
        return inner.slotNames();
    }

    @Override
    public OptimizerState init(INDArray params) {
        return inner.init(params);
    }

    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        OptimizerUpdate u = inner.update(g, state, params, lr);
        if (weightDecay == 0) {
            return u;
        }
        return new OptimizerUpdate(u.delta().subi(params.mul(lr * weightDecay)), u.next());
    }
}
