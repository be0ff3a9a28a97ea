package dev.sparktrain.ps.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A base update rule whose learning rate can be supplied per step, so schedules ({@link Scheduled}) and decoupled
 * weight decay ({@link DecoupledWeightDecay}) compose with every rule, including those where the learning rate
 * enters the state (TensorFlow's RMSProp momentum buffer) and cannot be applied as a factor afterwards.
 */
public interface UpdateRule extends Optimizer {

    /** The base learning rate. */
    double learningRate();

    /** One step with the learning rate {@code lr} instead of {@link #learningRate()}. */
    OptimizerUpdate update(INDArray gradient, OptimizerState state, INDArray params, double lr);

    /** As {@link Optimizer#stepInPlace} with the learning rate {@code lr}. */
    default Step stepInPlace(INDArray gradient, OptimizerState state, INDArray params, double lr) {
        OptimizerUpdate u = update(gradient, state, params, lr);
        params.addi(u.delta());
        return new Step(params, u.next());
    }

    @Override
    default Step stepInPlace(INDArray gradient, OptimizerState state, INDArray params) {
        return stepInPlace(gradient, state, params, learningRate());
    }

    /** As {@link Optimizer#chunkStep} with the learning rate {@code lr}; null where the rule has no element form. */
    default ChunkStep chunkStep(OptimizerState state, double lr) {
        return null;
    }

    @Override
    default ChunkStep chunkStep(OptimizerState state) {
        return chunkStep(state, learningRate());
    }

    @Override
    default double learningRateAt(long step) {
        return learningRate();
    }

    @Override
    default OptimizerUpdate update(INDArray gradient, OptimizerState state, INDArray params) {
        return update(gradient, state, params, learningRate());
    }
}
