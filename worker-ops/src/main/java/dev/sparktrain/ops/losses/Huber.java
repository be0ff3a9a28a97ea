package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Huber loss (PyTorch's {@code HuberLoss}, Keras' {@code Huber}): with r = o − y, h(r) = ½r² for |r| ≤ δ and
 * δ(|r| − ½δ) otherwise; ℓ_i = (1/D) Σ_j h(r_ij); dℓ_i/do_ij = clip(r_ij, −δ, δ)/D. Default δ = 1.
 */
public record Huber(double delta) implements Loss {

    /** {@code huber}: delta [1]. */
    public static final Kind<Huber> KIND = Kind.of("huber", o -> new Huber(o.number("delta", 1.0)),
            ConfigKey.optional("delta", 1.0));

    public Huber {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber.delta must be a finite number > 0, got " + delta);
        }
    }

    @Override
    public String name() {
        return "huber";
    }

    @Override
    public PerSample perSample(INDArray output, INDArray labels) {
        INDArray r = output.sub(Labels.sameShape(name(), output, labels));
        double d = output.size(1);
        INDArray clipped = Transforms.min(Transforms.max(r, -delta, true), delta, false);
        return new PerSample(h(r, clipped).sum(1).divi(d), clipped.divi(d));
    }

    /** h(r) per element. */
    @Override
    public INDArray unreduced(INDArray output, INDArray labels) {
        INDArray r = output.sub(Labels.sameShape(name(), output, labels));
        return h(r, Transforms.min(Transforms.max(r, -delta, true), delta, false));
    }

    /** h(r) = c·(|r| − ½|c|) with c = clip(r): ½r² inside, δ(|r| − ½δ) outside. */
    private static INDArray h(INDArray r, INDArray clipped) {
        INDArray abs = Transforms.abs(r, true);
        return Transforms.abs(clipped, true).muli(-0.5).addi(abs).muli(Transforms.abs(clipped, true));
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
