package dev.sparktrain.jobs.onnx;

import dev.sparktrain.jobs.onnx.proto.OnnxProto.AttributeProto;
import dev.sparktrain.ops.layers.Padding;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.layers.Size2;

/** The {@code pads} attribute of ONNX's Conv and pooling ops for the library's padding modes. */
final class Windows {

    private Windows() {
    }

    /**
     * {@code [top, left, bottom, right]}: none for {@code valid}, the layer's own sizes on both sides for explicit
     * padding, and for {@code same} the total padding the output size needs, half at the top/left and the rest (one
     * more when odd) at the bottom/right.
     */
    static AttributeProto pads(Padding padding, Shape input, Shape output, Size2 kernel, Size2 stride, Size2 dilation) {
        return switch (padding.mode()) {
            case VALID -> OnnxGraph.ints("pads", 0, 0, 0, 0);
            case EXPLICIT -> OnnxGraph.ints("pads", padding.h(), padding.w(), padding.h(), padding.w());
            case SAME -> {
                long h = total(input.dim(1), output.dim(1), kernel.h(), stride.h(), dilation.h());
                long w = total(input.dim(2), output.dim(2), kernel.w(), stride.w(), dilation.w());
                yield OnnxGraph.ints("pads", h / 2, w / 2, h - h / 2, w - w / 2);
            }
        };
    }

    private static long total(long in, long out, int k, int s, int d) {
        return Math.max(0, (out - 1) * s + (long) d * (k - 1) + 1 - in);
    }
}
