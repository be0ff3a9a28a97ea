package dev.sparktrain.jobs.onnx;

import dev.sparktrain.ops.layers.LayerSpec;

/**
 * How one layer kind becomes ONNX nodes: given the layer (its description, shapes, parameters and the name of its
 * input value), it adds its nodes to the graph and returns the name of its output value. One mapping per kind,
 * registered in {@link OnnxLayers}.
 *
 * @param <S> the layer description it maps
 */
@FunctionalInterface
public interface LayerMapping<S extends LayerSpec> {

    String export(S spec, LayerInput layer, OnnxGraph graph);
}
