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

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new Layer() {
            private INDArray z;
            private INDArray y;

            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                z = x;
                y = activation.forward(x);
                return y;
            }

            @Override
            public INDArray backward(INDArray g) {
                if (z == null) {
                    throw new IllegalStateException("activation: backward called before forward");
                }
                return activation.backward(z, y, g);
            }
        };
    }
}
