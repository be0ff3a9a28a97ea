package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reshapes each sample to a vector of {@code input.size()} values (C-order, so NCHW becomes c·H·W + h·W + w). */
public record Flatten() implements LayerSpec {

    /** {@code flatten}: no options. */
    public static final Kind<Flatten> KIND = Kind.of("flatten", o -> new Flatten());

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public Shape outputShape(Shape input) {
        return new Shape(input.size());
    }

    @Override
    public List<ParamShape> params(Shape input) {
        return List.of();
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
        return new Layer() {
            private long[] shape;

            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                shape = x.shape();
                return x.reshape('c', shape[0], input.size());
            }

            @Override
            public INDArray backward(INDArray g) {
                if (shape == null) {
                    throw new IllegalStateException("flatten: backward called before forward");
                }
                return g.reshape('c', shape);
            }
        };
    }
}
