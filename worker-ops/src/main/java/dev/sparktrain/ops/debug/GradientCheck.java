package dev.sparktrain.ops.debug;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.LayerSpecs;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares the network's analytic gradient with centred differences (J(θ+h) − J(θ−h)) / 2h of the full
 * objective J = data loss + penalty, in double precision. Per element the error is
 * |a − n| / max(|a| + |n|, absoluteFloor), so tiny gradients on both sides do not count as failures. The report
 * gives the worst error per trainable parameter tensor (non-trainable state is skipped).
 *
 * <p>The check runs in inference mode by default; pass a training context to check batch-norm's batch
 * statistics or a fixed dropout mask (the same seed draws the same mask on every evaluation). Non-smooth
 * activations (relu, leaky_relu, hard_*, selu) can sit on a kink and give a spurious error: {@link #warnings}
 * names them.
 */
public final class GradientCheck {

    private final double step;
    private final double absoluteFloor;

    public GradientCheck(double step, double absoluteFloor) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("gradient check step must be > 0, got " + step);
        }
        if (!(absoluteFloor > 0)) {
            throw new IllegalArgumentException("gradient check absolute floor must be > 0, got " + absoluteFloor);
        }
        this.step = step;
        this.absoluteFloor = absoluteFloor;
    }

    public static GradientCheck defaults() {
        return new GradientCheck(1e-6, 1e-8);
    }

    /** Worst relative error of one parameter tensor. */
    public record TensorReport(String name, long elements, double maxRelativeError, long worstIndex) {
    }

    /**
     * One warning per layer whose activation has kinks, e.g. "layer 0 dense: relu is not smooth ..."; a layer with
     * nested layers is named once per kinked activation inside it.
     */
    public static List<String> warnings(NetworkSpec spec) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            for (LayerSpec part : LayerSpecs.selfAndDescendants(layer)) {
                Activation a = part.appliedActivation().orElse(null);
                if (a != null && !a.smooth()) {
                    out.add("layer " + i + " " + layer.kind() + ": " + a.name() + " is not smooth; an input on its "
                            + "kink gives a spurious gradient-check error");
                }
            }
        }
        return out;
    }

    /** Checks in inference mode; see {@link #check(NetworkSpec, INDArray, INDArray, INDArray, int, ForwardContext)}. */
    public List<TensorReport> check(NetworkSpec spec, INDArray params, INDArray features, INDArray labels,
                                    int maxPerTensor) {
        return check(spec, params, features, labels, maxPerTensor, ForwardContext.INFERENCE);
    }

    /**
     * Checks every trainable parameter (at most {@code maxPerTensor} evenly spread elements per tensor) on one
     * batch, with the network's parameters converted to double.
     */
    public List<TensorReport> check(NetworkSpec spec, INDArray params, INDArray features, INDArray labels,
                                    int maxPerTensor, ForwardContext context) {
        INDArray theta = params.castTo(DataType.DOUBLE).reshape(params.length()).dup();
        INDArray x = features.castTo(DataType.DOUBLE);
        INDArray y = labels.castTo(DataType.DOUBLE);
        Network network = new Network(spec, theta);
        network.computeGradient(x, y, context);
        INDArray analytic = network.gradient().dup();
        List<TensorReport> reports = new ArrayList<>();
        for (ParamSpec tensor : spec.layout().specs()) {
            if (!tensor.trainable()) {
                continue;
            }
            long stride = Math.max(1, tensor.length() / maxPerTensor);
            double worst = 0;
            long worstIndex = -1;
            for (long i = tensor.offset(); i < tensor.end(); i += stride) {
                double original = theta.getDouble(i);
                theta.putScalar(i, original + step);
                double plus = network.objective(x, y, null, context).total();
                theta.putScalar(i, original - step);
                double minus = network.objective(x, y, null, context).total();
                theta.putScalar(i, original);
                double numeric = (plus - minus) / (2 * step);
                double a = analytic.getDouble(i);
                double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), absoluteFloor);
                if (error > worst || worstIndex < 0) {
                    worst = Math.max(worst, error);
                    worstIndex = i - tensor.offset();
                }
            }
            reports.add(new TensorReport(tensor.name(), tensor.length(), worst, worstIndex));
        }
        return reports;
    }

    /** The worst error over all tensors. */
    public static double worst(List<TensorReport> reports) {
        return reports.stream().mapToDouble(TensorReport::maxRelativeError).max().orElse(0);
    }
}
