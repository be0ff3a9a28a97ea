package dev.sparktrain.ops.network;

import dev.sparktrain.ops.layers.ActivationBuffer;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.Layer;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.ParamShape;
import dev.sparktrain.ops.layers.ReluDerivativeHandOff;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.losses.LossResult;
import dev.sparktrain.ops.params.ParamLayout;
import dev.sparktrain.ops.regularization.Penalty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link NetworkSpec} bound to one flat parameter vector: forward and backward on mini-batches. The network
 * owns a flat gradient vector of the same layout; {@link #computeGradient} overwrites it. The parameter vector is
 * used in place (not copied): callers that must not see it change pass a copy. Training forward passes write
 * the batch-norm running statistics into their (non-trainable) entries of that vector.
 *
 * <p>Layers write their results into buffers they reuse from one pass to the next, so the arrays this class hands
 * out ({@link #output}, {@link #activations}) are copies; a network is used by one thread at a time.
 *
 * <p>The gradient is that of the full objective, data loss + regularization penalty; the gradient's
 * non-trainable entries are 0. {@link #computeGradient} returns the DATA loss (comparable with evaluation
 * losses and with ln C at initialisation); {@link #lastLoss()} gives both parts.
 */
public final class Network {

    private final NetworkSpec spec;
    private final ParamLayout layout;
    private final INDArray params;
    private final INDArray gradient;
    private final List<Layer> layers;
    private LossBreakdown lastLoss;
    /** The loss gradient's array for the last batch shape, for losses that write into it instead of a new one. */
    private ActivationBuffer lossGradient;

    public Network(NetworkSpec spec, INDArray params) {
        this.spec = spec;
        this.layout = spec.layout();
        layout.checkFlat(params);
        this.params = params.reshape(params.length());
        this.gradient = Nd4j.zeros(params.dataType(), params.length());
        this.layers = bindLayers();
    }

    public NetworkSpec spec() {
        return spec;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** The flat parameter vector this network computes with (shared, not a copy). */
    public INDArray params() {
        return params;
    }

    /** The flat gradient of the last {@link #computeGradient} call. */
    public INDArray gradient() {
        return gradient;
    }

    /** Data loss and penalty of the last {@link #computeGradient} call. */
    public LossBreakdown lastLoss() {
        if (lastLoss == null) {
            throw new IllegalStateException("lastLoss() called before computeGradient()");
        }
        return lastLoss;
    }

    /** Raw network output (logits for logit-based losses) for a batch, in a new array; inference mode. */
    public INDArray output(INDArray features) {
        return forward(features, ForwardContext.INFERENCE).dup();
    }

    /** Mean data loss of a batch; inference mode, no gradient, no penalty. */
    public double loss(INDArray features, INDArray labels) {
        return spec.loss().compute(forward(features, ForwardContext.INFERENCE), labels).loss();
    }

    /**
     * The loss values of a batch before any reduction, as PyTorch's {@code reduction='none'} ({@link
     * dev.sparktrain.ops.losses.Loss#unreduced}: {@code [B, D]} per element or {@code [B]} per sample); inference
     * mode, no penalty.
     */
    public INDArray unreducedLoss(INDArray features, INDArray labels) {
        INDArray out = forward(features, ForwardContext.INFERENCE);
        long batch = out.size(0);
        return spec.loss().unreduced(out.rank() == 2 ? out : out.reshape('c', batch, out.length() / batch), labels);
    }

    /** Data loss + penalty of a batch in the given mode (a training pass updates running statistics). */
    public LossBreakdown objective(INDArray features, INDArray labels, INDArray sampleWeights,
                                   ForwardContext context) {
        double data = spec.loss().compute(forward(features, context), labels, sampleWeights).loss();
        double penalty = 0;
        for (int i = 0; i < layers.size(); i++) {
            Penalty p = spec.regularization().forLayer(i);
            for (ParamShape ps : weightTensors(i, p)) {
                penalty += p.value(layout.view(params, spec.paramName(i, ps.name())));
            }
        }
        return new LossBreakdown(data, penalty);
    }

    /**
     * Forward and backward on one batch: returns the mean data loss and leaves d(data loss + penalty)/dParams in
     * {@link #gradient()}.
     */
    public double computeGradient(INDArray features, INDArray labels, ForwardContext context) {
        return computeGradient(features, labels, null, context);
    }

    /** As {@link #computeGradient(INDArray, INDArray, ForwardContext)} with per-sample weights ({@code [batch]}). */
    public double computeGradient(INDArray features, INDArray labels, INDArray sampleWeights,
                                  ForwardContext context) {
        INDArray out = forward(features, context);
        LossResult result = spec.loss().compute(out, labels, sampleWeights, lossGradientLike(out));
        INDArray grad = result.gradient();
        for (int i = layers.size() - 1; i > 0; i--) {
            grad = layers.get(i).backward(grad);
        }
        layers.get(0).backwardParamsOnly(grad);
        double penalty = 0;
        for (int i = 0; i < layers.size(); i++) {
            Penalty p = spec.regularization().forLayer(i);
            for (ParamShape ps : weightTensors(i, p)) {
                String name = spec.paramName(i, ps.name());
                penalty += p.addGradientInPlace(layout.view(params, name), layout.view(gradient, name));
            }
        }
        lastLoss = new LossBreakdown(result.loss(), penalty);
        return result.loss();
    }

    private INDArray lossGradientLike(INDArray out) {
        // A network's output keeps its row shape, so the check costs nothing after the first step (no copies).
        INDArray kept = lossGradient == null ? null : lossGradient.get(out.size(0), out.dataType());
        if (kept == null || !kept.equalShapes(out)) {
            lossGradient = new ActivationBuffer(Arrays.copyOfRange(out.shape(), 1, out.rank()));
            kept = lossGradient.get(out.size(0), out.dataType());
        }
        return kept;
    }

    /**
     * The input of every layer and the final output for a batch ({@code layers + 1} arrays; all but the first, the
     * features, are copies), for diagnostics.
     */
    public List<INDArray> activations(INDArray features, ForwardContext context) {
        List<INDArray> out = new ArrayList<>();
        INDArray x = reshapeInput(features);
        out.add(x);
        ForwardContext c = effective(context);
        for (Layer layer : layers) {
            x = layer.forward(x, c);
            out.add(x.dup());
        }
        return out;
    }

    private List<ParamShape> weightTensors(int layer, Penalty p) {
        if (p.isZero()) {
            return List.of();
        }
        return spec.params(layer).stream().filter(ps -> ps.role() == ParamShape.Role.WEIGHT).toList();
    }

    private ForwardContext effective(ForwardContext context) {
        return spec.regularization().enabled() ? context : context.withoutDropout();
    }

    private INDArray forward(INDArray features, ForwardContext context) {
        INDArray x = reshapeInput(features);
        ForwardContext c = effective(context);
        for (Layer layer : layers) {
            x = layer.forward(x, c);
        }
        return x;
    }

    private INDArray reshapeInput(INDArray features) {
        Shape input = spec.input();
        if (features.rank() < 1 || features.length() % input.size() != 0 || features.size(0) * input.size()
                != features.length()) {
            throw new IllegalArgumentException("features of shape " + java.util.Arrays.toString(features.shape())
                    + " do not fit the network input " + input + " (expected [batch, " + input + "])");
        }
        return features.rank() == input.rank() + 1 ? features : features.reshape(input.withBatch(features.size(0)));
    }

    private List<Layer> bindLayers() {
        List<Shape> shapes = spec.shapes();
        List<Layer> bound = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Map<String, INDArray> p = new HashMap<>();
            Map<String, INDArray> g = new HashMap<>();
            for (ParamShape ps : layer.params(shapes.get(i))) {
                String name = spec.paramName(i, ps.name());
                p.put(ps.name(), layout.view(params, name));
                g.put(ps.name(), layout.view(gradient, name));
            }
            bound.add(layer.build(i, shapes.get(i), p, g));
        }
        ReluDerivativeHandOff.arrange(bound);
        return bound;
    }
}
