package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An activation on its own, y = f(x), any input shape (softmax/log_softmax act on the last axis). */
public record ActivationLayer(Activation activation) implements LayerSpec {

    /** {@code activation}: activation (a name, or a map with its parameters). */
    public static final Kind<ActivationLayer> KIND = Kind.of("activation",
            o -> new ActivationLayer(o.has("activation") ? Activations.create(o, "activation", "identity")
                    : Activations.byName(o.string("activation"))),
            ConfigKey.required("activation", "relu"));

    public ActivationLayer {
        if (activation == null) {
            throw new IllegalArgumentException("activation.activation must be set");
        }
    }

    @Override
    public String kind() {
        return "activation";
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public List<ParamShape> params(Shape input) {
        return List.of();
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.of(activation);
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return List.of();
    }

    /**
     * Output and input gradient go into arrays the layer keeps ({@link Activation#forwardInto},
     * {@link Activation#backwardInto}): a fresh native array per pass costs about as much as the pass itself at a
     * convolutional network's sizes (docs/performance.md).
     */
    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        ActivationBuffer outputBuffer = new ActivationBuffer(input.dims());
        ActivationBuffer gradInputBuffer = new ActivationBuffer(input.dims());
        return new Layer() {
            private INDArray z;
            private INDArray y;

            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                z = x;
                y = outputBuffer.get(x.size(0), x.dataType());
                activation.forwardInto(x, y);
                return y;
            }

            @Override
            public INDArray backward(INDArray g) {
                if (z == null) {
                    throw new IllegalStateException("activation: backward called before forward");
                }
                INDArray gradInput = gradInputBuffer.get(g.size(0), g.dataType());
                activation.backwardInto(z, y, g, gradInput);
                return gradInput;
            }
        };
    }
}
