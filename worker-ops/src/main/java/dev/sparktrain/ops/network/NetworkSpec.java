package dev.sparktrain.ops.network;

import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.ParamShape;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import dev.sparktrain.ops.regularization.Regularization;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A sequential network: input shape, layers, loss and regularization. Validated at construction: every layer's
 * input shape is inferred from the one before, and a mismatch names the layer ("layer 2 dense: ..."). Parameters
 * are named {@code <index>.<kind>.<local>} (e.g. {@code 0.dense.W}) in one flat {@link ParamLayout}; state
 * tensors (batch-norm running statistics) are non-trainable entries of the same layout.
 */
public record NetworkSpec(Shape input, List<LayerSpec> layers, Loss loss, Regularization regularization)
        implements java.io.Serializable {

    /** Without regularization (dropout layers still apply). */
    public NetworkSpec(Shape input, List<LayerSpec> layers, Loss loss) {
        this(input, layers, loss, Regularization.NONE);
    }

    public NetworkSpec {
        if (input == null) {
            throw new IllegalArgumentException("network input shape must be set");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("network needs at least one layer");
        }
        if (loss == null) {
            throw new IllegalArgumentException("network loss must be set");
        }
        if (regularization == null) {
            throw new IllegalArgumentException("network regularization must be set (Regularization.NONE for none)");
        }
        layers = List.copyOf(layers);
        List<Shape> shapes = shapesOf(input, layers);
        try {
            loss.checkOutputs(shapes.get(shapes.size() - 1).size());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model.loss: " + e.getMessage(), e);
        }
        for (Integer index : regularization.perLayer().keySet()) {
            if (index < 0 || index >= layers.size()) {
                throw new IllegalArgumentException("regularization.layers: layer " + index + " does not exist; the "
                        + "network has layers 0 to " + (layers.size() - 1));
            }
        }
    }

    /** The same network with other regularization settings. */
    public NetworkSpec withRegularization(Regularization other) {
        return new NetworkSpec(input, layers, loss, other);
    }

    /** The debugging switch: the same network with every penalty and every dropout layer off. */
    public NetworkSpec withoutRegularization() {
        return withRegularization(regularization.withEnabled(false));
    }

    /** Input shapes of every layer followed by the network's output shape ({@code layers().size() + 1} entries). */
    public List<Shape> shapes() {
        return shapesOf(input, layers);
    }

    public Shape outputShape() {
        List<Shape> shapes = shapes();
        return shapes.get(shapes.size() - 1);
    }

    /** The tensors of layer {@code index}. */
    public List<ParamShape> params(int index) {
        return layers.get(index).params(shapes().get(index));
    }

    /** How many values layer {@code index} holds, and how many of them are not trained (running statistics). */
    public record ParameterCount(long total, long notTrained) {
    }

    public ParameterCount parameterCount(int index) {
        long total = 0;
        long notTrained = 0;
        for (ParamShape p : params(index)) {
            total += p.length();
            notTrained += p.trainable() ? 0 : p.length();
        }
        return new ParameterCount(total, notTrained);
    }

    public ParamLayout layout() {
        ParamLayout.Builder builder = ParamLayout.builder();
        List<Shape> shapes = shapes();
        for (int i = 0; i < layers.size(); i++) {
            for (ParamShape p : layers.get(i).params(shapes.get(i))) {
                builder.add(paramName(i, p.name()), p.trainable(), p.shape());
            }
        }
        return builder.build();
    }

    /** Global name of a layer's local tensor. */
    public String paramName(int layerIndex, String local) {
        return layerIndex + "." + layers.get(layerIndex).kind() + "." + local;
    }

    /** Fresh parameters from {@code seed}: each tensor's initialiser, seeded by the seed and the tensor's position. */
    public INDArray initialParameters(long seed, DataType dataType) {
        ParamLayout layout = layout();
        float[] flat = new float[Math.toIntExact(layout.totalLength())];
        List<Shape> shapes = shapes();
        int tensor = 0;
        for (int i = 0; i < layers.size(); i++) {
            for (ParamShape p : layers.get(i).params(shapes.get(i))) {
                ParamSpec spec = layout.spec(paramName(i, p.name()));
                float[] values = new float[Math.toIntExact(spec.length())];
                p.init().fill(values, p.fanIn(), p.fanOut(), seed * 1_000_003L + tensor++);
                System.arraycopy(values, 0, flat, (int) spec.offset(), values.length);
            }
        }
        return Nd4j.createFromArray(flat).castTo(dataType);
    }

    /** A text table of the layers, their output shapes and parameter counts; see {@link ModelSummary}. */
    public String summary() {
        return ModelSummary.of(this);
    }

    private static List<Shape> shapesOf(Shape input, List<LayerSpec> layers) {
        List<Shape> shapes = new ArrayList<>(layers.size() + 1);
        Shape current = input;
        shapes.add(current);
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            try {
                current = layer.outputShape(current);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " " + layer.kind() + ": " + e.getMessage(), e);
            }
            shapes.add(current);
        }
        return shapes;
    }
}
