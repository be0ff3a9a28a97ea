package dev.sparktrain.ps.optim;

import dev.sparktrain.ops.config.Check;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Clips every gradient element into [−c, c] before the inner optimizer. */
public record ClipByValue(Optimizer inner, double limit) implements GradientTransform {

    public ClipByValue {
        if (inner == null) {
            throw new IllegalArgumentException("clipping needs an inner optimizer, got null");
        }
        Check.positive(Optimizer.SECTION, "clip_value", limit);
    }

    @Override
    public INDArray transform(INDArray g, INDArray params) {
        return Transforms.min(Transforms.max(g, -limit, true), limit, false);
    }
}
