package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;
import static dev.sparktrain.jobs.onnx.OnnxGraph.ints;

import dev.sparktrain.ops.layers.Conv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * conv2d as one ONNX Conv (NCHW, weights {@code [out, in, kH, kW]} as the library keeps them, bias when the layer has
 * one) with its kernel, stride, dilation and padding, then the activation. {@code same} padding becomes the explicit
 * pads it stands for (the extra row/column of an odd total at the bottom/right, as the library and TensorFlow put it),
 * since the input's size is known when exporting.
 */
final class Conv2dMapping implements LayerMapping<Conv2d> {

    @Override
    public String export(Conv2d s, LayerInput l, OnnxGraph g) {
        List<String> inputs = new ArrayList<>(List.of(l.value(), l.param("W", g)));
        if (s.bias()) {
            inputs.add(l.param("b", g));
        }
        String z = g.node("Conv", l.name(), inputs,
                ints("kernel_shape", s.kernel().h(), s.kernel().w()),
                ints("strides", s.stride().h(), s.stride().w()),
                ints("dilations", s.dilation().h(), s.dilation().w()),
                Windows.pads(s.padding(), l.input(), l.output(), s.kernel(), s.stride(), s.dilation()),
                integer("group", 1));
        return OnnxActivations.apply(s.activation(), z, l.name() + "." + s.activation().name(), g, l.name());
    }
}
