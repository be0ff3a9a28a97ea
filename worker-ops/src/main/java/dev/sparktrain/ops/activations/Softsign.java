package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** f(z) = z / (1 + |z|); f'(z) = 1 / (1 + |z|)². */
public record Softsign() implements Activation {

    /** {@code softsign}: no options. */
    public static final Kind<Softsign> KIND = Kind.of("softsign", o -> new Softsign());

    @Override
    public String name() {
        return "softsign";
    }

    @Override
    public INDArray forward(INDArray z) {
        return z.div(Transforms.abs(z, true).addi(1));
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray d = Transforms.abs(z, true).addi(1);
        return gradY.div(d.muli(d));
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
