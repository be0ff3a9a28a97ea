package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;
import static dev.sparktrain.jobs.onnx.OnnxGraph.ints;

import dev.sparktrain.ops.layers.Pool2d;
import dev.sparktrain.ops.layers.Size2;
import java.util.List;

/**
 * maxpool2d as ONNX MaxPool, avgpool2d as AveragePool with {@code count_include_pad = 0}: the library averages over
 * the window's positions inside the image only (as TensorFlow; ONNX's and PyTorch's default would count the padding).
 * Output sizes are floored ({@code ceil_mode = 0}) as the library's; {@code same} padding becomes explicit pads.
 */
final class Pool2dMapping implements LayerMapping<Pool2d> {

    @Override
    public String export(Pool2d s, LayerInput l, OnnxGraph g) {
        var kernel = ints("kernel_shape", s.kernel().h(), s.kernel().w());
        var strides = ints("strides", s.stride().h(), s.stride().w());
        var pads = Windows.pads(s.padding(), l.input(), l.output(), s.kernel(), s.stride(), Size2.square(1));
        if (s.max()) {
            return g.node("MaxPool", l.name(), List.of(l.value()), kernel, strides, pads, integer("ceil_mode", 0));
        }
        return g.node("AveragePool", l.name(), List.of(l.value()), kernel, strides, pads, integer("ceil_mode", 0),
                integer("count_include_pad", 0));
    }
}
