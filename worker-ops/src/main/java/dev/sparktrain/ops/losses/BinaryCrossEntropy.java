package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary cross-entropy on probabilities p ∈ [0, 1] (the output of a sigmoid layer), targets y ∈ [0, 1]:
 * ℓ_i = −(1/D) Σ_j [y log p + (1 − y) log(1 − p)], each log clamped below at −100 as in PyTorch's
 * {@code BCELoss} so that p = 0 or 1 stays finite; dℓ/dp = (p − y) / max(p(1 − p), 1e−12) / D. Prefer
 * {@code binary_cross_entropy_with_logits}, which is exact at any logit. Probabilities outside [0, 1] are refused.
 */
public record BinaryCrossEntropy() implements Loss {

    /** {@code binary_cross_entropy}: no options. */
    public static final Kind<BinaryCrossEntropy> KIND = Kind.of("binary_cross_entropy", o -> new BinaryCrossEntropy());

    static final double LOG_FLOOR = -100;
    static final double DENOMINATOR_FLOOR = 1e-12;

    @Override
    public String name() {
        return "binary_cross_entropy";
    }

    @Override
    public PerSample perSample(INDArray p, INDArray labels) {
        INDArray y = checked(p, labels);
        double d = p.size(1);
        INDArray perElement = elements(p, y);
        INDArray denominator = Transforms.max(p.rsub(1.0).muli(p), DENOMINATOR_FLOOR, false);
        return new PerSample(perElement.sum(1).divi(d), p.sub(y).divi(denominator).divi(d));
    }

    @Override
    public INDArray unreduced(INDArray p, INDArray labels) {
        return elements(p, checked(p, labels));
    }

    /** −[y log p + (1 − y) log(1 − p)] per element, each log clamped at −100. */
    private static INDArray elements(INDArray p, INDArray y) {
        INDArray logP = Transforms.max(Transforms.log(p, true), LOG_FLOOR, false);
        INDArray log1mP = Transforms.max(Transforms.log(p.rsub(1.0), false), LOG_FLOOR, false);
        return y.mul(logP).addi(y.rsub(1.0).muli(log1mP)).negi();
    }

    @Override
    public INDArray predict(INDArray output) {
        return output.dup();
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        checked(output, labels);
    }

    private INDArray checked(INDArray p, INDArray labels) {
        INDArray y = Labels.sameShape(name(), p, labels);
        Labels.checkUnitInterval(name(), "labels", y);
        Labels.checkUnitInterval(name(), "predicted probabilities (use binary_cross_entropy_with_logits on logits)",
                p);
        return y;
    }
}
