package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D max or average pooling over NCHW images, per channel. Max: y = max over the window (gradient to the
 * arg-max). Average: y = mean over the window's positions inside the image (padding positions are not counted,
 * as TensorFlow; PyTorch's default counts them). Output size as {@link Conv2d}; no parameters.
 */
public record Pool2d(boolean max, Size2 kernel, Size2 stride, Padding padding) implements LayerSpec {

    /** {@code maxpool2d}: kernel, stride [= kernel], padding [valid]. */
    public static final Kind<Pool2d> MAX_KIND = kind("maxpool2d", true);
    /** {@code avgpool2d}: kernel, stride [= kernel], padding [valid]. */
    public static final Kind<Pool2d> AVG_KIND = kind("avgpool2d", false);

    private static Kind<Pool2d> kind(String name, boolean max) {
        return Kind.of(name, (Options o) -> {
            Size2 kernel = LayerOptions.size(o, "kernel", null);
            return new Pool2d(max, kernel, LayerOptions.size(o, "stride", kernel), LayerOptions.padding(o));
        }, ConfigKey.required("kernel", 2), ConfigKey.derived("stride", 1, "the kernel"),
                ConfigKey.optional("padding", "valid"));
    }

    public Pool2d {
        new Window(kernel, stride, padding, Size2.square(1));
    }

    /** Max pooling with a k×k window and stride k, no padding (the usual 2×2 / 2 down-sampling). */
    public static Pool2d max(int k) {
        return new Pool2d(true, Size2.square(k), Size2.square(k), Padding.VALID);
    }

    /** Average pooling with a k×k window and stride k, no padding. */
    public static Pool2d avg(int k) {
        return new Pool2d(false, Size2.square(k), Size2.square(k), Padding.VALID);
    }

    Window window() {
        return new Window(kernel, stride, padding, Size2.square(1));
    }

    @Override
    public String kind() {
        return max ? "maxpool2d" : "avgpool2d";
    }

    @Override
    public Shape outputShape(Shape input) {
        long[] hw = window().outputSize(input);
        return new Shape(input.dim(0), hw[0], hw[1]);
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
        return new Pool2dLayer(this, input);
    }
}
