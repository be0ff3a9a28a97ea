package dev.sparktrain.ops.network;

import dev.sparktrain.ops.layers.Shape;
import java.util.List;

/**
 * The model summary table:
 * <pre>
 *   #  layer           output      params  not trained
 *   -  input           1x28x28          0            0
 *   0  conv2d          8x28x28         80            0
 *   ...
 *   total: 1234 parameters (1200 trained, 34 not trained), loss softmax_cross_entropy
 * </pre>
 */
final class ModelSummary {

    private ModelSummary() {
    }

    static String of(NetworkSpec spec) {
        List<Shape> shapes = spec.shapes();
        StringBuilder sb = new StringBuilder();
        String format = "%3s  %-16s %-14s %10s %12s%n";
        sb.append(String.format(format, "#", "layer", "output", "params", "not trained"));
        sb.append(String.format(format, "-", "input", shapes.get(0), 0, 0));
        long total = 0;
        long frozen = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            NetworkSpec.ParameterCount count = spec.parameterCount(i);
            total += count.total();
            frozen += count.notTrained();
            sb.append(String.format(format, i, spec.layers().get(i).kind(), shapes.get(i + 1), count.total(),
                    count.notTrained()));
        }
        sb.append("total: ").append(total).append(" parameters (").append(total - frozen).append(" trained, ")
                .append(frozen).append(" not trained), loss ").append(spec.loss().name()).append('\n');
        return sb.toString();
    }
}
