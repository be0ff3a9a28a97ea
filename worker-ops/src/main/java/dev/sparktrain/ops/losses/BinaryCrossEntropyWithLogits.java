package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Binary cross-entropy fused with the sigmoid, on logits x with targets y ∈ [0, 1]:
 * ℓ_i = (1/D) Σ_j [softplus(x) − x·y] (= −y log σ(x) − (1 − y) log(1 − σ(x))), softplus in its overflow-free form;
 * dℓ_i/dx_ij = (σ(x_ij) − y_ij)/D. {@link #predict} gives σ(x).
 */
public record BinaryCrossEntropyWithLogits() implements Loss {

    /** {@code binary_cross_entropy_with_logits}: no options. */
    public static final Kind<BinaryCrossEntropyWithLogits> KIND = Kind.of("binary_cross_entropy_with_logits",
            o -> new BinaryCrossEntropyWithLogits());

    @Override
    public String name() {
        return "binary_cross_entropy_with_logits";
    }

    @Override
    public PerSample perSample(INDArray x, INDArray labels) {
        INDArray y = checked(x, labels);
        double d = x.size(1);
        INDArray perElement = Ops.softplus(x).subi(x.mul(y));
        return new PerSample(perElement.sum(1).divi(d), Ops.sigmoid(x).subi(y).divi(d));
    }

    /** softplus(x) − x·y per element. */
    @Override
    public INDArray unreduced(INDArray x, INDArray labels) {
        return Ops.softplus(x).subi(x.mul(checked(x, labels)));
    }

    @Override
    public INDArray predict(INDArray output) {
        return Ops.sigmoid(output);
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        checked(output, labels);
    }

    private INDArray checked(INDArray x, INDArray labels) {
        INDArray y = Labels.sameShape(name(), x, labels);
        Labels.checkUnitInterval(name(), "labels", y);
        return y;
    }
}
