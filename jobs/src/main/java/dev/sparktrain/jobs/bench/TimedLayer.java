package dev.sparktrain.jobs.bench;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Layer;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.MatrixProduct;
import dev.sparktrain.ops.layers.ParamShape;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer description that builds its layer wrapped in timers ({@link OpTimes}), and otherwise is the layer it
 * wraps: same kind, shapes, tensors and tensor names, and the same capabilities (the hand-off of ReLU's derivative),
 * so a network of timed layers computes exactly what the plain one does. {@link #timed(NetworkSpec, OpTimes)} wraps
 * every layer of a network, nested ones included.
 */
record TimedLayer(LayerSpec inner, OpTimes times) implements LayerSpec {

    static NetworkSpec timed(NetworkSpec spec, OpTimes times) {
        return new NetworkSpec(spec.input(), spec.layers().stream().map(l -> wrap(l, times)).toList(), spec.loss(),
                spec.regularization());
    }

    private static LayerSpec wrap(LayerSpec layer, OpTimes times) {
        LayerSpec inner = layer.children().isEmpty() ? layer
                : layer.withChildren(layer.children().stream().map(c -> wrap(c, times)).toList());
        return new TimedLayer(inner, times);
    }

    @Override
    public String kind() {
        return inner.kind();
    }

    @Override
    public Shape outputShape(Shape input) {
        return inner.outputShape(input);
    }

    @Override
    public List<ParamShape> params(Shape input) {
        return inner.params(input);
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return inner.appliedActivation();
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return inner.forwardProducts(input);
    }

    @Override
    public List<LayerSpec> children() {
        return inner.children();
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return build(0, input, params, grads);
    }

    @Override
    public Layer build(int index, Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        Layer layer = inner.build(index, input, params, grads);
        String kind = inner.kind();
        return new Layer() {
            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                times.enter();
                try {
                    return layer.forward(x, context);
                } finally {
                    times.exit(kind + " forward");
                }
            }

            @Override
            public INDArray backward(INDArray gradOutput) {
                times.enter();
                try {
                    return layer.backward(gradOutput);
                } finally {
                    times.exit(kind + " backward");
                }
            }

            @Override
            public void backwardParamsOnly(INDArray gradOutput) {
                times.enter();
                try {
                    layer.backwardParamsOnly(gradOutput);
                } finally {
                    times.exit(kind + " backward");
                }
            }

            @Override
            public boolean canHandOffReluDerivative() {
                return layer.canHandOffReluDerivative();
            }

            @Override
            public void handOffReluDerivative() {
                layer.handOffReluDerivative();
            }

            @Override
            public boolean canTakeReluDerivative() {
                return layer.canTakeReluDerivative();
            }

            @Override
            public void takeReluDerivative() {
                layer.takeReluDerivative();
            }
        };
    }
}
