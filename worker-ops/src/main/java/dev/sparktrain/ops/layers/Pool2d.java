package dev.sparktrain.ops.layers;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D max or average pooling over NCHW images, per channel. Max: y = max over the window (gradient to the
 * arg-max). Average: y = mean over the window's positions inside the image (padding positions are not counted,
 * as TensorFlow; PyTorch's default counts them). Output size as {@link Conv2d}; no parameters.
 */
public record Pool2d(boolean max, Size2 kernel, Size2 stride, Padding padding) implements LayerSpec {

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
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new Pool2dLayer(this, input);
    }
}
