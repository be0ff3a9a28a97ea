package org.example;

import dev.sparktrain.ops.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A library user's own activation, outside the project's packages: f(z) = z for z > 0, else slope · z. */
public record LeakyRelu(double slope) implements Activation {

    @Override
    public String name() {
        return "leaky_relu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Transforms.max(z, 0.0, true).addi(Transforms.min(z, 0.0, true).muli(slope));
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray positive = z.gt(0).castTo(z.dataType());
        return gradY.mul(positive.muli(1 - slope).addi(slope));
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
