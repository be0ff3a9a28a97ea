package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.config.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Negative log-likelihood on log-probabilities (the output of a {@code log_softmax} layer), as PyTorch's
 * {@code NLLLoss}: ℓ_i = −Σ_c t_c·o_c with t the one-hot (or given) target row; dℓ_i/do = −t.
 * {@link #predict} gives e^o.
 */
public record NegativeLogLikelihood() implements Loss {

    /** {@code nll} (on log-probabilities): no options. */
    public static final Kind<NegativeLogLikelihood> KIND = Kind.of("nll", o -> new NegativeLogLikelihood());

    @Override
    public String name() {
        return "nll";
    }

    @Override
    public PerSample perSample(INDArray logProbabilities, INDArray labels) {
        INDArray t = Labels.classes(name(), logProbabilities, labels);
        return new PerSample(t.mul(logProbabilities).sum(1).negi(), t.negi());
    }

    @Override
    public INDArray predict(INDArray output) {
        return Transforms.exp(output, true);
    }

    @Override
    public void checkLabels(INDArray output, INDArray labels) {
        Labels.classes(name(), output, labels);
    }
}
