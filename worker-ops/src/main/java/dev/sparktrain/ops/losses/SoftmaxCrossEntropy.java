package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.activations.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Categorical cross-entropy on logits, fused with the softmax. With target row t (one-hot from a class index, or
 * a given distribution), smoothed as in PyTorch: t' = (1 − ε)·t + ε/C, ℓ_i = −Σ_c t'_c log softmax(x)_c and
 * dℓ_i/dx = softmax(x)·Σ_c t'_c − t' (= softmax − t' for distributions). log-softmax is computed on shifted
 * logits, so it is finite at any magnitude. Labels: class indices ({@code [B]} or {@code [B, 1]}) or one-hot
 * rows {@code [B, C]}. Default ε = 0.
 */
public record SoftmaxCrossEntropy(double labelSmoothing) implements Loss {

    /** {@code softmax_cross_entropy} (alias {@code categorical_cross_entropy}): label_smoothing [0]. */
    public static final Kind<SoftmaxCrossEntropy> KIND = Kind.of("softmax_cross_entropy",
            o -> new SoftmaxCrossEntropy(o.number("label_smoothing", 0.0)), ConfigKey.optional("label_smoothing", 0.0));

    public SoftmaxCrossEntropy {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("softmax_cross_entropy.label_smoothing must be in [0, 1), got "
                    + labelSmoothing);
        }
    }

    public SoftmaxCrossEntropy() {
        this(0);
    }

    @Override
    public String name() {
        return "softmax_cross_entropy";
    }

    /**
     * The common case, class indices without smoothing or weights, takes {@link SoftmaxCrossEntropyOnIndices} (no
     * native ops); everything else the general path through {@link #perSample}.
     */
    @Override
    public LossResult compute(INDArray logits, INDArray labels, INDArray weights) {
        return compute(logits, labels, weights, null);
    }

    @Override
    public LossResult compute(INDArray logits, INDArray labels, INDArray weights, INDArray reuse) {
        if (labelSmoothing == 0 && weights == null && logits.rank() == 2 && Labels.areIndices(name(), logits, labels)) {
            return SoftmaxCrossEntropyOnIndices.mean(logits, Labels.indices(name(), logits, labels), reuse);
        }
        return Reduction.mean(this, logits, labels, weights);
    }

    @Override
    public PerSample perSample(INDArray logits, INDArray labels) {
        INDArray t = Labels.classes(name(), logits, labels);
        if (labelSmoothing > 0) {
            t.muli(1 - labelSmoothing).addi(labelSmoothing / logits.size(1));
        }
        INDArray logP = Ops.logSoftmax(logits);
        INDArray losses = t.mul(logP).sum(1).negi();
        INDArray gradient = Transforms.exp(logP, false).muliColumnVector(t.sum(true, 1)).subi(t);
        return new PerSample(losses, gradient);
    }

    @Override
    public INDArray predict(INDArray logits) {
        return Ops.softmax(logits);
    }

    @Override
    public void checkLabels(INDArray logits, INDArray labels) {
        Labels.classes(name(), logits, labels);
    }
}
