package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** f(z) = z. */
public record Identity() implements Activation {

    /** {@code identity}: no options. */
    public static final Kind<Identity> KIND = Kind.of("identity", o -> new Identity());

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public INDArray forward(INDArray z) {
        return z.dup();
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        return gradY.dup();
    }

    @Override
    public void forwardInto(INDArray z, INDArray out) {
        out.assign(z);
    }

    @Override
    public void backwardInto(INDArray z, INDArray y, INDArray gradY, INDArray out) {
        out.assign(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
