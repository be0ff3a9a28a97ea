package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.layers.ParamShape.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D convolution over NCHW images: y[n, o] = f(b[o] + Σ_c W[o, c] ⋆ x[n, c]) (cross-correlation, as every deep
 * learning library), weights {@code [out, in, kH, kW]}, optional bias {@code [out]}. fanIn = in·kH·kW and
 * fanOut = out·kH·kW for the initialiser (default Glorot uniform, as Keras). Output size per
 * axis: ⌈in/s⌉ for {@code same} padding, ⌊(in + 2p − d(k − 1) − 1)/s⌋ + 1 otherwise.
 */
public record Conv2d(int filters, Size2 kernel, Size2 stride, Padding padding, Size2 dilation, boolean bias,
                     Activation activation, WeightInit weightInit) implements LayerSpec {

    /**
     * {@code conv2d}: filters, kernel (n or [h, w]), stride [1], padding (valid | same | n | [h, w]) [valid],
     * dilation [1], bias [true], activation [identity], weight_init [glorot_uniform].
     */
    public static final Kind<Conv2d> KIND = Kind.of("conv2d",
            o -> new Conv2d(o.integer("filters"), LayerOptions.size(o, "kernel", null),
                    LayerOptions.size(o, "stride", Size2.square(1)), LayerOptions.padding(o),
                    LayerOptions.size(o, "dilation", Size2.square(1)), o.bool("bias", true),
                    Activations.create(o, "activation", "identity"), LayerOptions.weightInit(o)),
            ConfigKey.required("filters", 2), ConfigKey.required("kernel", 3), ConfigKey.optional("stride", 1),
            ConfigKey.optional("padding", "valid"), ConfigKey.optional("dilation", 1),
            ConfigKey.optional("bias", true), ConfigKey.optional("activation", "identity"),
            ConfigKey.optional("weight_init", "glorot_uniform"));

    public Conv2d {
        if (filters <= 0) {
            throw new IllegalArgumentException("conv2d.filters must be > 0, got " + filters);
        }
        if (activation == null || weightInit == null) {
            throw new IllegalArgumentException("conv2d.activation and conv2d.weight_init must be set");
        }
        new Window(kernel, stride, padding, dilation);
    }

    /** A k×k convolution, stride 1, no dilation, with bias and Glorot uniform weights. */
    public static Conv2d of(int filters, int k, Padding padding, Activation activation) {
        return new Conv2d(filters, Size2.square(k), Size2.square(1), padding, Size2.square(1), true, activation,
                WeightInit.GLOROT_UNIFORM);
    }

    Window window() {
        return new Window(kernel, stride, padding, dilation);
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public Shape outputShape(Shape input) {
        long[] hw = window().outputSize(input);
        return new Shape(filters, hw[0], hw[1]);
    }

    @Override
    public List<ParamShape> params(Shape input) {
        long in = input.dim(0);
        long area = (long) kernel.h() * kernel.w();
        List<ParamShape> list = new ArrayList<>();
        list.add(new ParamShape("W", new long[] {filters, in, kernel.h(), kernel.w()}, weightInit, in * area,
                filters * area, Role.WEIGHT));
        if (bias) {
            list.add(new ParamShape("b", new long[] {filters}, WeightInit.ZEROS, in * area, filters * area, Role.BIAS));
        }
        return list;
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.of(activation);
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        Shape out = outputShape(input);
        return List.of(new MatrixProduct(out.dim(1) * out.dim(2), input.dim(0) * kernel.h() * kernel.w(), filters));
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        return new Conv2dLayer(this, input, params.get("W"), params.get("b"), grads.get("W"), grads.get("b"));
    }
}
