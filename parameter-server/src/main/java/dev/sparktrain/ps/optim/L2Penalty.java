package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coupled L2 weight decay, as PyTorch's {@code weight_decay} argument of SGD/Adam/RMSprop: the inner optimizer
 * sees g + λ·θ (the gradient of the loss plus λ/2·‖θ‖²), so the decay passes through its moments, unlike
 * {@link DecoupledWeightDecay}.
 */
public record L2Penalty(Optimizer inner, double l2) implements Optimizer {

    public L2Penalty {
        if (inner == null) {
            throw new IllegalArgumentException("an L2 penalty needs an inner optimizer, got null");
        }
        Check.nonNegative("optimizer.l2", l2);
    }

    @Override
    public double learningRateAt(long step) {
        return inner.learningRateAt(step);
    }

    @Override
    public String name() {
        return inner.name();
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
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params) {
        return inner.update(l2 == 0 ? g : g.add(params.mul(l2)), state, params);
    }
}
