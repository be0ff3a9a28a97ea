package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coupled L2 weight decay, as PyTorch's {@code weight_decay} argument of SGD/Adam/RMSprop: the inner optimizer
 * sees g + λ·θ (the gradient of the loss plus λ/2·‖θ‖²), so the decay passes through its moments, unlike
 * {@link DecoupledWeightDecay}.
 */
public record L2Penalty(Optimizer inner, double l2) implements GradientTransform {

    public L2Penalty {
        if (inner == null) {
            throw new IllegalArgumentException("an L2 penalty needs an inner optimizer, got null");
        }
        Check.nonNegative(Optimizer.SECTION, "l2", l2);
    }

    @Override
    public INDArray transform(INDArray g, INDArray params) {
        return l2 == 0 ? g : g.add(params.mul(l2));
    }
}
