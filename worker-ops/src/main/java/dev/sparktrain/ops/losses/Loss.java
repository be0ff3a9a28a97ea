package dev.sparktrain.ops.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss on the network's raw output {@code [B, D]}, averaged over the batch. Losses on logits fuse their output
 * activation (softmax, sigmoid) for numerical stability; {@link #predict} applies that activation for inference.
 *
 * <p>Reduction: with per-sample losses ℓ_i and optional per-sample weights w_i (default 1), the batch loss is
 * L = (1/B) Σ_i w_i ℓ_i (Keras' "sum over batch size": weights scale samples, they do not renormalise, so sums of
 * per-partition losses stay mergeable). Element-wise losses define ℓ_i as the mean over the output's D entries.
 */
public interface Loss extends java.io.Serializable {

    /** Config name, e.g. {@code softmax_cross_entropy}. */
    String name();

    /** ℓ_i and dℓ_i/dOutput_i for every sample; labels are checked first. */
    PerSample perSample(INDArray output, INDArray labels);

    /** Mean loss over the batch and its gradient with respect to {@code output}. */
    default LossResult compute(INDArray output, INDArray labels) {
        return compute(output, labels, null);
    }

    /** Weighted mean loss (see class comment); {@code weights} is {@code [B]} or null for all ones. */
    default LossResult compute(INDArray output, INDArray labels, INDArray weights) {
        return Reduction.mean(this, output, labels, weights);
    }

    /**
     * As {@link #compute(INDArray, INDArray, INDArray)}, but the gradient may be written into {@code reuse} (an
     * array of the output's shape, or null) instead of a new array: for a caller that keeps one per batch shape.
     * Losses with an allocation-free path override this; the default ignores {@code reuse}.
     */
    default LossResult compute(INDArray output, INDArray labels, INDArray weights, INDArray reuse) {
        return compute(output, labels, weights);
    }

    /**
     * Throws an {@link IllegalArgumentException} if this loss cannot take a network output of {@code outputs} values
     * per sample (a per-class list of the wrong length, say); the network checks this when it is built.
     */
    default void checkOutputs(long outputs) {
    }

    /**
     * The loss values before any reduction, as PyTorch's {@code reduction='none'}: {@code [B, D]}, one per output
     * element, for the element-wise losses (mse, mae, huber, the binary cross-entropies, sigmoid focal), and
     * {@code [B]}, one per sample, for the losses over a row (softmax cross-entropy, nll, the hinge losses, softmax
     * focal). No sample weights. {@link #compute} is their mean (element-wise ones: over D, then over the batch).
     */
    default INDArray unreduced(INDArray output, INDArray labels) {
        return perSample(output, labels).losses().reshape(output.size(0));
    }

    /** The model's prediction (e.g. class probabilities) from its raw output. */
    INDArray predict(INDArray output);

    /** Throws an {@link IllegalArgumentException} naming what is wrong if the labels do not fit the output. */
    void checkLabels(INDArray output, INDArray labels);
}
