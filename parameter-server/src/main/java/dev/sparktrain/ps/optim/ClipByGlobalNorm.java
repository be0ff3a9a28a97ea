package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Clips the gradient by its global L2 norm before the inner optimizer (TensorFlow's clip_by_global_norm, PyTorch's
 * clip_grad_norm_): g ← g·c/max(‖g‖, c). The norm is taken over the whole flat vector.
 */
public record ClipByGlobalNorm(Optimizer inner, double maxNorm) implements GradientTransform {

    public ClipByGlobalNorm {
        if (inner == null) {
            throw new IllegalArgumentException("clipping needs an inner optimizer, got null");
        }
        Check.positive(Optimizer.SECTION, "clip_norm", maxNorm);
    }

    @Override
    public INDArray transform(INDArray g, INDArray params) {
        double norm = g.norm2Number().doubleValue();
        return norm > maxNorm ? g.mul(maxNorm / norm) : g;
    }
}
