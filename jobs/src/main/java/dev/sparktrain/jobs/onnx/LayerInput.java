package dev.sparktrain.jobs.onnx;

import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@link LayerMapping} needs to know about the layer it exports.
 *
 * @param index  the layer's position in the network
 * @param input  the shape of one input sample
 * @param output the shape of one output sample
 * @param value  the name of the ONNX value holding the layer's input, {@code [batch, input...]}
 * @param spec   the whole network (for its parameter names and layout)
 * @param params the network's flat parameter vector
 */
public record LayerInput(int index, Shape input, Shape output, String value, NetworkSpec spec, INDArray params) {

    /** The layer's kind and position, as error messages and node names give it: {@code 2.conv2d}. */
    public String name() {
        return index + "." + spec.layers().get(index).kind();
    }

    /** Adds the layer's tensor {@code local} ({@code W}, {@code b}, ...) as an initializer and returns its name. */
    public String param(String local, OnnxGraph graph) {
        String global = spec.paramName(index, local);
        ParamLayout layout = spec.layout();
        ParamSpec p = layout.spec(global);
        float[] values = layout.view(params, global).dup('c').reshape(p.length()).toFloatVector();
        return graph.floats(global, values, p.shape());
    }

    /** Whether the layer has a tensor named {@code local} (a convolution without bias has no {@code b}). */
    public boolean hasParam(String local) {
        return spec.layout().specs().stream().anyMatch(p -> p.name().equals(spec.paramName(index, local)));
    }
}
