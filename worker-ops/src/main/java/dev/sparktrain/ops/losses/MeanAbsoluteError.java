package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ℓ_i = (1/D) Σ_j |o_ij − y_ij|; dℓ_i/do_ij = sign(o_ij − y_ij)/D (0 at a tie). Not smooth at zero residual. */
public record MeanAbsoluteError() implements Loss {

    /** {@code mae}: no options. */
    public static final Kind<MeanAbsoluteError> KIND = Kind.of("mae", o -> new MeanAbsoluteError());

    @Override
    public String name() {
        return "mae";
    }

    @Override
    public PerSample perSample(INDArray output, INDArray labels) {
        INDArray r = output.sub(Labels.sameShape(name(), output, labels));
        double d = output.size(1);
        return new PerSample(Transforms.abs(r, true).sum(1).divi(d), Transforms.sign(r, false).divi(d));
    }

    /** |o − y| per element. */
    @Override
    public INDArray unreduced(INDArray output, INDArray labels) {
        return Transforms.abs(output.sub(Labels.sameShape(name(), output, labels)), false);
    }

    @Override
    public INDArray predict(INDArray output) {
        return output.dup();
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        Labels.sameShape(name(), output, labels);
    }
}
