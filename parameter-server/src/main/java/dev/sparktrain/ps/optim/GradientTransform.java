package dev.sparktrain.ps.optim;

import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimizer that changes the gradient (clipping, a coupled penalty) and hands it to an inner optimizer, which
 * owns the state, the name and the learning rate.
 */
public interface GradientTransform extends Optimizer {

    Optimizer inner();

    /** The gradient the inner optimizer sees; neither {@code g} nor {@code params} is modified. */
    INDArray transform(INDArray g, INDArray params);

    @Override
    default String name() {
        return inner().name();
    }

    @Override
    default Set<String> slotNames() {
        return inner().slotNames();
    }

    @Override
    default OptimizerState init(INDArray params) {
        return inner().init(params);
    }

    @Override
    default double learningRateAt(long step) {
        return inner().learningRateAt(step);
    }

    @Override
    default OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params) {
        return inner().update(transform(g, params), state, params);
    }

    @Override
    default Step stepInPlace(INDArray gradient, OptimizerState state, INDArray params) {
        return inner().stepInPlace(transform(gradient, params), state, params);
    }
}
