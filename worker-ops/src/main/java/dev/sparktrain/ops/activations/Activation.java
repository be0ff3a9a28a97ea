package dev.sparktrain.ops.activations;

import org.nd4j.linalg.api.ndarray.INDArray;

/** An element-wise (or row-wise, for softmax) activation and its derivative, on native ND4J ops. */
public interface Activation extends java.io.Serializable {

    /** Config name, e.g. {@code relu}. */
    String name();

    /** y = f(z) in a new array; {@code z} is not modified. */
    INDArray forward(INDArray z);

    /** dLoss/dz given the pre-activation {@code z}, the output {@code y = f(z)} and dLoss/dy. */
    INDArray backward(INDArray z, INDArray y, INDArray gradY);

    /**
     * As {@link #forward(INDArray)}, written into {@code out} (same shape as {@code z}, not {@code z} itself), for
     * layers that reuse their buffers. The default copies; activations that are one native op override it.
     */
    default void forwardInto(INDArray z, INDArray out) {
        out.assign(forward(z));
    }

    /** As {@link #backward}, written into {@code out} (same shape, none of the inputs); the default copies. */
    default void backwardInto(INDArray z, INDArray y, INDArray gradY, INDArray out) {
        out.assign(backward(z, y, gradY));
    }

    /** False where a kink makes centred-difference gradient checks unreliable. */
    boolean smooth();
}
