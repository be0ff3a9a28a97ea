package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The description of one layer: an immutable value that knows its output shape and the tensors it needs, and
 * builds the {@link Layer} that does the maths on views of the flat parameter and gradient vectors. What tools
 * ask of every layer (its activation, its matrix products, its sub-layers) the layer answers itself, so a new kind
 * cannot be silently missed by a type test elsewhere. Each kind also declares how it is configured (a
 * {@link dev.sparktrain.ops.config.Kind} registered in {@link LayerSpecs}).
 */
public interface LayerSpec extends java.io.Serializable {

    /** Short kind name used in configs, summaries and error messages, e.g. {@code dense}. */
    String kind();

    /**
     * The output shape for one sample of {@code input}. Throws {@link IllegalArgumentException} describing the
     * mismatch (without the layer index: the network adds it).
     */
    Shape outputShape(Shape input);

    /** The tensors this layer owns, in layout order; empty for parameter-free layers. */
    List<ParamShape> params(Shape input);

    /**
     * Builds the computing layer over views of its own tensors, keyed by the local names of {@link #params}.
     * The layer writes its parameter gradients into {@code grads}.
     */
    Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads);

    /**
     * As {@link #build(Shape, Map, Map)}, knowing the layer's position in the network (layers with randomness,
     * such as dropout, derive their seed from it). The network calls this one.
     */
    default Layer build(int index, Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return build(input, params, grads);
    }

    /**
     * The activation this layer applies last to its output ({@code dense} and {@code conv2d} their fused one, an
     * {@code activation} layer its own), or empty. A composite layer answers for its output, not its children's.
     */
    Optional<Activation> appliedActivation();

    /**
     * The matrix products of one sample's forward pass for {@code input}, in order; empty for layers that only do
     * element-wise or data-movement work. A composite layer lists its children's.
     */
    List<MatrixProduct> forwardProducts(Shape input);

    /** The layers nested inside this one (a residual block's branch), in order; empty for a plain layer. */
    default List<LayerSpec> children() {
        return List.of();
    }

    /**
     * The same layer with {@code children} in place of {@link #children()} (same count, same shapes), for tools that
     * wrap every layer of a network (the benchmark's per-op timing). A plain layer has none to replace.
     */
    default LayerSpec withChildren(List<LayerSpec> children) {
        if (!children.isEmpty()) {
            throw new IllegalArgumentException(kind() + " has no nested layers to replace");
        }
        return this;
    }
}
