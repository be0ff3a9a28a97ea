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
}
