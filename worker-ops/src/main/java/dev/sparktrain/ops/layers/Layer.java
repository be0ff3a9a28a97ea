package dev.sparktrain.ops.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of one layer over a mini-batch. A layer keeps what the last forward pass needs for its backward
 * pass, so calls must alternate forward then backward on the same batch. What forward and backward return may be
 * a buffer the layer reuses: it stays valid until the layer's next call of the same method; copy it to keep it.
 */
public interface Layer {

    /** Output for a batch; {@code input} is not modified. */
    INDArray forward(INDArray input, ForwardContext context);

    /**
     * Given dLoss/dOutput of the last forward batch, writes dLoss/dParams into this layer's gradient views
     * (overwriting them) and returns dLoss/dInput.
     */
    INDArray backward(INDArray gradOutput);

    /**
     * As {@link #backward} for the network's first layer, whose dLoss/dInput nobody needs: layers that can skip
     * computing it (a dense layer saves one of its three matrix products) override this.
     */
    default void backwardParamsOnly(INDArray gradOutput) {
        backward(gradOutput);
    }

    /**
     * Whether this layer's output is ReLU's, max(0, z) of a pre-activation z it computes itself, so that its backward
     * could take dLoss/dz in place of dLoss/dy if the layer after it applied ReLU's derivative
     * ({@link ReluDerivativeHandOff}).
     */
    default boolean canHandOffReluDerivative() {
        return false;
    }

    /**
     * From now on, {@link #backward} takes dLoss/dz (ReLU's derivative already applied by the layer after this one)
     * instead of dLoss/dy; only for a layer whose {@link #canHandOffReluDerivative} holds.
     */
    default void handOffReluDerivative() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " computes no fused ReLU");
    }

    /**
     * Whether this layer's backward can apply ReLU's derivative for the layer before it, when that layer's output (this
     * layer's input) is ReLU's: possible where the gradient it returns is non-zero only at input positions whose values
     * it knows, as max pooling's, which lands only on each window's maximum, the window's output.
     */
    default boolean canTakeReluDerivative() {
        return false;
    }

    /**
     * From now on, {@link #backward} returns dLoss/dz of the layer before this one, whose output is max(0, z): zero
     * (+0) wherever that output is not positive. Only for a layer whose {@link #canTakeReluDerivative} holds.
     */
    default void takeReluDerivative() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply ReLU's derivative");
    }
}
