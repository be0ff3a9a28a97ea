package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Clips every gradient element into [−c, c] before the inner optimizer. */
public record ClipByValue(Optimizer inner, double limit) implements Optimizer {

    public ClipByValue {
        if (inner == null) {
            throw new IllegalArgumentException("clipping needs an inner optimizer, got null");
        }
        Check.positive("optimizer.clip_value", limit);
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
        INDArray clipped = Transforms.min(Transforms.max(g, -limit, true), limit, false);
        return inner.update(clipped, state, params);
    }
}
