package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import dev.sparktrain.ops.init.WeightInit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A residual block (He et al. 2016): y = f(F(x) + S(x)), where F is a list of layers (the branch), S the shortcut
 * and f the activation after the sum (ReLU in ResNet v1). The shortcut is the identity when the branch keeps the
 * shape, or else a projection: a 1×1 convolution without bias whose stride maps the input's height and width onto
 * the branch's (a dense layer for vector inputs), followed by batch-norm unless
 * {@code projection_batchnorm} is false. That is ResNet v1's option "B" shortcut with the batch-norm that
 * torchvision's and Keras' ResNets put on it. Blocks nest: the branch may hold blocks.
 *
 * <p>Tensors are named inside the block by the branch position and kind, as the network names its layers, and
 * {@code shortcut.<kind>.<local>} for the projection: in a network, {@code 3.residual.0.conv2d.W},
 * {@code 3.residual.1.batchnorm.running_mean}, {@code 3.residual.shortcut.conv2d.W}. Batch-norm running statistics
 * inside stay non-trainable state entries of the layout, found by the same mask as everywhere.
 */
public record Residual(List<LayerSpec> layers, Shortcut shortcut, Activation activation, boolean projectionBatchNorm,
                       WeightInit projectionInit) implements LayerSpec {

    /** How the block's input reaches the sum. */
    public enum Shortcut {
        /** Identity when the branch keeps the shape, projection otherwise. */
        AUTO,
        /** Always the input itself; the branch must keep the shape. */
        IDENTITY,
        /** Always the projection, even when the shape is kept. */
        PROJECTION;

        static Shortcut byName(Options o, String key) {
            String name = o.string(key, "auto").trim().toLowerCase(Locale.ROOT);
            for (Shortcut s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(o.field(key) + " must be auto, identity or projection, got '" + name
                    + "'");
        }
    }

    /**
     * {@code residual}: layers (a list of layers, as the model's), shortcut (auto | identity | projection) [auto],
     * activation (after the sum) [relu], projection_batchnorm [true], projection_init [he_normal].
     */
    public static final Kind<Residual> KIND = Kind.of("residual",
            o -> new Residual(o.subList("layers").stream().map(LayerSpecs::create).toList(),
                    Shortcut.byName(o, "shortcut"), Activations.create(o, "activation", "relu"),
                    o.bool("projection_batchnorm", true), projectionInit(o)),
            ConfigKey.required("layers", List.of(Map.of("type", "activation", "activation", "tanh"))),
            ConfigKey.optional("shortcut", "auto"), ConfigKey.optional("activation", "relu"),
            ConfigKey.optional("projection_batchnorm", true), ConfigKey.optional("projection_init", "he_normal"));

    public Residual {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("residual.layers must hold at least one layer");
        }
        if (shortcut == null || activation == null || projectionInit == null) {
            throw new IllegalArgumentException("residual.shortcut, residual.activation and residual.projection_init "
                    + "must be set");
        }
        layers = List.copyOf(layers);
    }

    /** A block with an automatic shortcut, ReLU after the sum and a batch-normed projection where one is needed. */
    public static Residual of(List<LayerSpec> layers) {
        return new Residual(layers, Shortcut.AUTO, Activations.byName("relu"), true, WeightInit.HE_NORMAL);
    }

    private static WeightInit projectionInit(Options o) {
        return o.has("projection_init") ? WeightInit.byName(o.string("projection_init")) : WeightInit.HE_NORMAL;
    }

    @Override
    public String kind() {
        return "residual";
    }

    /** The input shapes of the branch's layers followed by its output shape. */
    public List<Shape> branchShapes(Shape input) {
        List<Shape> shapes = new ArrayList<>();
        Shape current = input;
        shapes.add(current);
        for (int i = 0; i < layers.size(); i++) {
            try {
                current = layers.get(i).outputShape(current);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layers[" + i + "] " + layers.get(i).kind() + ": " + e.getMessage(),
                        e);
            }
            shapes.add(current);
        }
        return shapes;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape out = branchShapes(input).get(layers.size());
        projection(input, out);
        return out;
    }

    /**
     * The projection's layers for this input and the branch's output {@code out} (empty for an identity shortcut);
     * checks that the shapes fit. Their tensors are named {@code shortcut.<kind>.<local>} inside the block.
     */
    public List<LayerSpec> projection(Shape input, Shape out) {
        boolean same = input.equals(out);
        if (shortcut == Shortcut.IDENTITY && !same) {
            throw new IllegalArgumentException("the branch maps " + input + " to " + out + ", so an identity shortcut "
                    + "cannot be added to it (use shortcut: projection or auto)");
        }
        if (shortcut == Shortcut.IDENTITY || shortcut == Shortcut.AUTO && same) {
            return List.of();
        }
        List<LayerSpec> projection = new ArrayList<>();
        if (input.rank() == 1 && out.rank() == 1) {
            projection.add(new Dense(Math.toIntExact(out.dim(0)), new Identity(), projectionInit));
        } else if (input.rank() == 3 && out.rank() == 3) {
            int sh = stride(input.dim(1), out.dim(1));
            int sw = stride(input.dim(2), out.dim(2));
            Conv2d conv = new Conv2d(Math.toIntExact(out.dim(0)), Size2.square(1), new Size2(sh, sw), Padding.VALID,
                    Size2.square(1), false, new Identity(), projectionInit);
            if (!conv.outputShape(input).equals(out)) {
                throw new IllegalArgumentException("no 1x1 convolution maps " + input + " onto the branch's " + out
                        + " (the branch's output must be ceil(input / stride) in height and width)");
            }
            projection.add(conv);
        } else {
            throw new IllegalArgumentException("the branch maps " + input + " to " + out + ": a projection shortcut needs"
                    + " both to be images (C x H x W) or both vectors");
        }
        if (projectionBatchNorm) {
            projection.add(new BatchNorm());
        }
        return projection;
    }

    private static int stride(long in, long out) {
        return Math.toIntExact(Math.max(1, (in + out - 1) / out));
    }

    /** Local names of the branch's tensors: {@code <position>.<kind>.<name>}. */
    static String branchName(int position, LayerSpec layer, String local) {
        return position + "." + layer.kind() + "." + local;
    }

    /** Local names of the projection's tensors: {@code shortcut.<kind>.<name>}. */
    static String shortcutName(LayerSpec layer, String local) {
        return "shortcut." + layer.kind() + "." + local;
    }

    @Override
    public List<ParamShape> params(Shape input) {
        List<Shape> shapes = branchShapes(input);
        List<ParamShape> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            int position = i;
            layer.params(shapes.get(i)).forEach(p -> out.add(p.renamed(branchName(position, layer, p.name()))));
        }
        Shape current = input;
        for (LayerSpec layer : projection(input, shapes.get(layers.size()))) {
            layer.params(current).forEach(p -> out.add(p.renamed(shortcutName(layer, p.name()))));
            current = layer.outputShape(current);
        }
        return out;
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.of(activation);
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        List<Shape> shapes = branchShapes(input);
        List<MatrixProduct> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.addAll(layers.get(i).forwardProducts(shapes.get(i)));
        }
        Shape current = input;
        for (LayerSpec layer : projection(input, shapes.get(layers.size()))) {
            out.addAll(layer.forwardProducts(current));
            current = layer.outputShape(current);
        }
        return out;
    }

    /** The branch's layers; the projection's depend on the input shape and are not listed. */
    @Override
    public List<LayerSpec> children() {
        return layers;
    }

    @Override
    public Residual withChildren(List<LayerSpec> children) {
        if (children.size() != layers.size()) {
            throw new IllegalArgumentException("residual has " + layers.size() + " layers, got " + children.size());
        }
        return new Residual(children, shortcut, activation, projectionBatchNorm, projectionInit);
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return build(0, input, params, grads);
    }

    @Override
    public Layer build(int index, Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        List<Shape> shapes = branchShapes(input);
        List<Layer> branch = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            int position = i;
            branch.add(layer.build(childIndex(index, i), shapes.get(i),
                    local(layer, shapes.get(i), params, name -> branchName(position, layer, name)),
                    local(layer, shapes.get(i), grads, name -> branchName(position, layer, name))));
        }
        ReluDerivativeHandOff.arrange(branch);
        List<Layer> projection = new ArrayList<>();
        Shape current = input;
        for (LayerSpec layer : projection(input, shapes.get(layers.size()))) {
            projection.add(layer.build(childIndex(index, layers.size() + projection.size()), current,
                    local(layer, current, params, name -> shortcutName(layer, name)),
                    local(layer, current, grads, name -> shortcutName(layer, name))));
            current = layer.outputShape(current);
        }
        return new ResidualLayer(branch, projection, activation, input, shapes.get(layers.size()));
    }

    /**
     * The position a nested layer is built at (dropout derives its mask seed from it): distinct from every other
     * layer's in any network of fewer than 4,099 layers per level.
     */
    private static int childIndex(int index, int child) {
        return (index + 1) * 4099 + child;
    }

    private static Map<String, INDArray> local(LayerSpec layer, Shape input, Map<String, INDArray> all,
                                               java.util.function.UnaryOperator<String> name) {
        Map<String, INDArray> out = new HashMap<>();
        for (ParamShape p : layer.params(input)) {
            out.put(p.name(), all.get(name.apply(p.name())));
        }
        return out;
    }
}
