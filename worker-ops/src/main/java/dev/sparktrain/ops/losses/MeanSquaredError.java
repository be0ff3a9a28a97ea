package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ℓ_i = (1/D) Σ_j (o_ij − y_ij)²; dℓ_i/do_ij = 2(o_ij − y_ij)/D. Prediction is the raw output. */
public record MeanSquaredError() implements Loss {

    /** {@code mse}: no options. */
    public static final Kind<MeanSquaredError> KIND = Kind.of("mse", o -> new MeanSquaredError());

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public PerSample perSample(INDArray output, INDArray labels) {
        INDArray r = output.sub(Labels.sameShape(name(), output, labels));
        double d = output.size(1);
        return new PerSample(r.mul(r).sum(1).divi(d), r.muli(2 / d));
    }

    /** (o − y)² per element. */
    @Override
    public INDArray unreduced(INDArray output, INDArray labels) {
        INDArray r = output.sub(Labels.sameShape(name(), output, labels));
        return r.muli(r);
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
