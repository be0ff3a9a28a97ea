package dev.sparktrain.jobs.onnx;

import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link LayerMapping} needs to know about the layer it exports.
 *
 * @param name   the layer's name in the network, the prefix of its tensors' names in {@code layout.json}:
 *               {@code 2.conv2d} for a top-level layer, {@code 3.residual.0.conv2d} inside a residual block
 * @param input  the shape of one input sample
 * @param output the shape of one output sample
 * @param value  the name of the ONNX value holding the layer's input, {@code [batch, input...]}
 * @param layout the network's parameter layout
 * @param params the network's flat parameter vector
 */
public record LayerInput(String name, Shape input, Shape output, String value, ParamLayout layout, INDArray params) {

    /** A layer nested in this one (a residual block's branch or shortcut), named {@code name.local}. */
    public LayerInput child(String local, Shape childInput, Shape childOutput, String childValue) {
        return new LayerInput(name + "." + local, childInput, childOutput, childValue, layout, params);
    }

    /** Adds the layer's tensor {@code local} ({@code W}, {@code b}, ...) as an initializer and returns its name. */
    public String param(String local, OnnxGraph graph) {
        String global = name + "." + local;
        ParamSpec p = layout.spec(global);
        float[] values = layout.view(params, global).dup('c').reshape(p.length()).toFloatVector();
        return graph.floats(global, values, p.shape());
    }
}
