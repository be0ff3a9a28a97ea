package dev.sparktrain.ps.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coupled weight decay, as PyTorch's {@code weight_decay} argument of SGD/Adam/RMSprop/Adagrad: the inner optimizer
 * sees g + λ·θ (the gradient of the loss plus λ/2·‖θ‖², so half of what {@code regularization.l2: λ} adds, 2λ·θ), and
 * the decay passes through its moments, unlike {@link DecoupledWeightDecay}. Config: {@code optimizer.weight_decay}
 * (the older name {@code optimizer.l2} still works).
 */
public record CoupledWeightDecay(Optimizer inner, double lambda) implements GradientTransform {

    public CoupledWeightDecay {
        if (inner == null) {
            throw new IllegalArgumentException("coupled weight decay needs an inner optimizer, got null");
        }
        Check.nonNegative("optimizer.weight_decay", lambda);
    }

    @Override
    public INDArray transform(INDArray g, INDArray params) {
        return lambda == 0 ? g : g.add(params.mul(lambda));
    }
}
