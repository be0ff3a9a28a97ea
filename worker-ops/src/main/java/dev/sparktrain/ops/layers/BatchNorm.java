package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.ParamShape.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalization (Ioffe &amp; Szegedy 2015) per feature of a vector input or per channel of a C×H×W input.
 * Training pass: with the batch mean μ and biased variance σ² over the batch (and H, W),
 * y = γ·(x − μ)/√(σ² + ε) + β, and the running statistics are updated in place:
 * {@code running = momentum·running + (1 − momentum)·batch}, the variance unbiased (× n/(n − 1)) as PyTorch.
 * Inference pass: the running statistics replace μ and σ².
 *
 * <p>Tensors: {@code gamma} (ones) and {@code beta} (zeros) are trained but not penalised; {@code running_mean}
 * (zeros) and {@code running_var} (ones) are non-trainable entries of the same flat parameter vector, their
 * gradient is always 0 and {@link dev.sparktrain.ops.params.ParamLayout#trainableMask} marks them. In
 * data-parallel training each worker updates its own copy of the running statistics during its training
 * forward passes; the driver averages them across workers like parameters (the mean of the workers' running
 * means; for the variance, the mean of the variances, which ignores the spread between workers' means), and an
 * optimizer must not touch them: mask its update with the trainable mask. In {@code sync} mode the workers'
 * updated statistics must be returned and averaged as well, since the gradient carries none of it.
 */
public record BatchNorm(double momentum, double epsilon) implements LayerSpec {

    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final double DEFAULT_EPSILON = 1e-5;

    /** {@code batchnorm}: momentum [0.9], epsilon [1e-5]. */
    public static final Kind<BatchNorm> KIND = Kind.of("batchnorm",
            o -> new BatchNorm(o.number("momentum", DEFAULT_MOMENTUM), o.number("epsilon", DEFAULT_EPSILON)),
            ConfigKey.optional("momentum", DEFAULT_MOMENTUM), ConfigKey.optional("epsilon", DEFAULT_EPSILON));

    public BatchNorm() {
        this(DEFAULT_MOMENTUM, DEFAULT_EPSILON);
    }

    public BatchNorm {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("batchnorm.momentum must be in [0, 1), got " + momentum);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("batchnorm.epsilon must be a finite number > 0, got " + epsilon);
        }
    }

    @Override
    public String kind() {
        return "batchnorm";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1 && input.rank() != 3) {
            throw new IllegalArgumentException("input " + input + " has rank " + input.rank()
                    + ", expected a vector or channels x height x width");
        }
        return input;
    }

    @Override
    public List<ParamShape> params(Shape input) {
        long c = input.dim(0);
        long[] shape = {c};
        return List.of(
                new ParamShape("gamma", shape, WeightInit.ONES, c, c, Role.BIAS),
                new ParamShape("beta", shape, WeightInit.ZEROS, c, c, Role.BIAS),
                new ParamShape("running_mean", shape, WeightInit.ZEROS, c, c, Role.STATE),
                new ParamShape("running_var", shape, WeightInit.ONES, c, c, Role.STATE));
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.empty();
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return List.of();
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new BatchNormLayer(this, input, params, grads);
    }
}
