package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clips the gradient by its global L2 norm before the inner optimizer (TensorFlow's clip_by_global_norm, PyTorch's
 * clip_grad_norm_): g ← g·c/max(‖g‖, c). The norm is taken over the whole flat vector.
 */
public record ClipByGlobalNorm(Optimizer inner, double maxNorm) implements Optimizer {

    public ClipByGlobalNorm {
        if (inner == null) {
            throw new IllegalArgumentException("clipping needs an inner optimizer, got null");
        }
        Check.positive("optimizer.clip_norm", maxNorm);
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
        double norm = g.norm2Number().doubleValue();
        INDArray clipped = norm > maxNorm ? g.mul(maxNorm / norm) : g;
        return inner.update(clipped, state, params);
    }
}
