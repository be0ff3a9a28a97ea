package dev.sparktrain.jobs.onnx;

import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.Residual;
import dev.sparktrain.ops.layers.Shape;
import java.util.List;

/**
 * A residual block as its branch's nodes (each layer through its own mapping), its shortcut (the input itself, or the
 * projection's 1x1 Conv / Gemm and BatchNormalization), an Add of the two and the activation after the sum. Nested
 * layers are named as the block names their tensors: {@code 3.residual.0.conv2d}, {@code 3.residual.shortcut.conv2d}.
 */
final class ResidualMapping implements LayerMapping<Residual> {

    @Override
    public String export(Residual s, LayerInput l, OnnxGraph g) {
        List<Shape> shapes = s.branchShapes(l.input());
        String branch = l.value();
        for (int i = 0; i < s.layers().size(); i++) {
            LayerSpec layer = s.layers().get(i);
            branch = OnnxLayers.export(layer, l.child(i + "." + layer.kind(), shapes.get(i), shapes.get(i + 1),
                    branch), g);
        }
        String shortcut = l.value();
        Shape current = l.input();
        for (LayerSpec layer : s.projection(l.input(), shapes.get(shapes.size() - 1))) {
            Shape next = layer.outputShape(current);
            shortcut = OnnxLayers.export(layer, l.child("shortcut." + layer.kind(), current, next, shortcut), g);
            current = next;
        }
        String sum = g.node("Add", l.name() + ".sum", List.of(branch, shortcut));
        return OnnxActivations.apply(s.activation(), sum, l.name() + "." + s.activation().name(), g, l.name());
    }
}
