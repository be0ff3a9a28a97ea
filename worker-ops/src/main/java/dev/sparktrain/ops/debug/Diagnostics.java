package dev.sparktrain.ops.debug;

import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.norms.Norm;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.params.ParamSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training health checks (in the spirit of Karpathy's "recipe for training neural networks"):
 * <ul>
 *   <li>{@link #initialLoss}: the loss at initialisation against ln C, what a classifier with uniform
 *       predictions scores; far above it means an overconfident initialisation.</li>
 *   <li>{@link #deadReluFraction}: per ReLU layer, the fraction of its units (output features) that are ≤ 0 for
 *       every sample of the batch.</li>
 *   <li>{@link #updateRatios}: per layer, ‖Δθ‖₂ / ‖θ‖₂ over its trainable tensors; around 1e−3 is healthy, much
 *       larger means a too-large learning rate.</li>
 * </ul>
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    /** Measured mean loss against the reference ln C. */
    public record InitialLoss(double measured, double expected) {

        /** measured / expected. */
        public double ratio() {
            return measured / expected;
        }
    }

    /** Inference-mode data loss of a batch against ln(number of classes = output width). */
    public static InitialLoss initialLoss(Network network, INDArray features, INDArray labels) {
        long classes = network.spec().outputShape().size();
        if (classes < 2) {
            throw new IllegalArgumentException("initial loss check needs a classifier with at least 2 outputs, got "
                    + classes);
        }
        return new InitialLoss(network.loss(features, labels), Math.log(classes));
    }

    /** Layer label ("2 dense") → fraction of dead units, for every layer whose activation is ReLU. */
    public static Map<String, Double> deadReluFraction(Network network, INDArray features) {
        List<INDArray> activations = network.activations(features, ForwardContext.INFERENCE);
        Map<String, Double> out = new LinkedHashMap<>();
        List<LayerSpec> layers = network.spec().layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).appliedActivation().orElse(null) instanceof Relu) {
                INDArray y = activations.get(i + 1);
                INDArray rows = y.reshape('c', y.size(0), y.length() / y.size(0));
                INDArray best = rows.max(0);
                out.put(i + " " + layers.get(i).kind(), best.lte(0).castTo(best.dataType()).meanNumber().doubleValue());
            }
        }
        return out;
    }

    /**
     * Layer prefix ("0.dense") → ‖update‖₂ / ‖params‖₂ over the layer's trainable tensors, for flat vectors of
     * {@code layout}; layers whose parameters are all zero are reported as +∞ unless the update is zero too (0).
     */
    public static Map<String, Double> updateRatios(ParamLayout layout, INDArray params, INDArray update) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (ParamSpec spec : layout.specs()) {
            if (!spec.trainable()) {
                continue;
            }
            String layer = spec.name().substring(0, spec.name().lastIndexOf('.'));
            double u = Norm.L2.of(layout.view(update, spec.name()));
            double p = Norm.L2.of(layout.view(params, spec.name()));
            double[] s = sums.computeIfAbsent(layer, k -> new double[2]);
            s[0] += u * u;
            s[1] += p * p;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((layer, s) -> out.put(layer, s[0] == 0 ? 0.0 : Math.sqrt(s[0]) / Math.sqrt(s[1])));
        return out;
    }
}
