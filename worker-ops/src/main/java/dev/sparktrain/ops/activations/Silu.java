package dev.sparktrain.ops.activations;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** SiLU / swish: f(z) = z·σ(z); f'(z) = σ(z)·(1 + z·(1 − σ(z))). */
public record Silu() implements Activation {

    /** {@code silu}: no options. */
    public static final Kind<Silu> KIND = Kind.of("silu", o -> new Silu());

    @Override
    public String name() {
        return "silu";
    }

    @Override
    public INDArray forward(INDArray z) {
        return Ops.sigmoid(z).muli(z);
    }

    @Override
    public INDArray backward(INDArray z, INDArray y, INDArray gradY) {
        INDArray s = Ops.sigmoid(z);
        return s.rsub(1.0).muli(z).addi(1).muli(s).muli(gradY);
    }

    @Override
    public boolean smooth() {
        return true;
    }
}
