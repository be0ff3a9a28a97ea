package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling: a C×H×W sample becomes the C channel means, y[n, c] = (1/HW) Σ_hw x[n, c, h, w];
 * backward spreads g[n, c]/HW over the channel's positions.
 */
public record GlobalAvgPool() implements LayerSpec {

    /** {@code global_avgpool}: no options. */
    public static final Kind<GlobalAvgPool> KIND = Kind.of("global_avgpool", o -> new GlobalAvgPool());

    @Override
    public String kind() {
        return "global_avgpool";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("input " + input + " has rank " + input.rank()
                    + ", expected channels x height x width");
        }
        return new Shape(input.dim(0));
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
                return x.mean(2, 3);
            }

            @Override
            public INDArray backward(INDArray g) {
                if (shape == null) {
                    throw new IllegalStateException("global_avgpool: backward called before forward");
                }
                double area = shape[2] * shape[3];
                return g.reshape(shape[0], shape[1], 1, 1).broadcast(shape).div(area);
            }
        };
    }
}
