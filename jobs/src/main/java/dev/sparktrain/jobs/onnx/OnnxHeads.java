package dev.sparktrain.jobs.onnx;

import static dev.sparktrain.jobs.onnx.OnnxGraph.integer;

import dev.sparktrain.ops.losses.BinaryCrossEntropy;
import dev.sparktrain.ops.losses.BinaryCrossEntropyWithLogits;
import dev.sparktrain.ops.losses.Huber;
import dev.sparktrain.ops.losses.Loss;
import dev.sparktrain.ops.losses.MeanAbsoluteError;
import dev.sparktrain.ops.losses.MeanSquaredError;
import dev.sparktrain.ops.losses.MultiClassHinge;
import dev.sparktrain.ops.losses.NegativeLogLikelihood;
import dev.sparktrain.ops.losses.SigmoidFocal;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.losses.SoftmaxFocal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code Loss.predict} does to the network's raw output, as ONNX nodes, one entry per loss kind: Softmax over
 * the classes for the softmax losses, Sigmoid for the logit binary losses, Exp for {@code nll} (log-probabilities),
 * and the output itself where it already is the prediction (probabilities for {@code binary_cross_entropy}, scores
 * for the hinge losses, values for regression). A loss kind without an entry is refused by name.
 */
final class OnnxHeads {

    /** The head's ONNX op on the flattened {@code [batch, D]} raw output, with its attributes. */
    private record Head(String op, boolean softmax) {
    }

    private static final Map<Class<?>, Head> HEADS = new HashMap<>();

    static {
        HEADS.put(SoftmaxCrossEntropy.class, new Head("Softmax", true));
        HEADS.put(SoftmaxFocal.class, new Head("Softmax", true));
        HEADS.put(BinaryCrossEntropyWithLogits.class, new Head("Sigmoid", false));
        HEADS.put(SigmoidFocal.class, new Head("Sigmoid", false));
        HEADS.put(NegativeLogLikelihood.class, new Head("Exp", false));
        HEADS.put(BinaryCrossEntropy.class, new Head("Identity", false));
        HEADS.put(MultiClassHinge.class, new Head("Identity", false));
        HEADS.put(MeanSquaredError.class, new Head("Identity", false));
        HEADS.put(MeanAbsoluteError.class, new Head("Identity", false));
        HEADS.put(Huber.class, new Head("Identity", false));
    }

    private OnnxHeads() {
    }

    /** Whether this loss kind has an ONNX prediction head. */
    static boolean has(Loss loss) {
        return HEADS.containsKey(loss.getClass());
    }

    /** Adds the prediction of {@code loss} from {@code raw} as the graph value {@code output}. */
    static String add(Loss loss, String raw, String output, OnnxGraph g) {
        Head head = HEADS.get(loss.getClass());
        if (head == null) {
            throw new IllegalArgumentException("model.loss '" + loss.name() + "' cannot be exported to ONNX: no ONNX "
                    + "form of its prediction");
        }
        return head.softmax()
                ? g.nodeNamed(head.op(), output, List.of(raw), integer("axis", 1))
                : g.nodeNamed(head.op(), output, List.of(raw));
    }

    /** A short description of the head for the model's metadata: {@code softmax}, {@code sigmoid}, ... */
    static String describe(Loss loss) {
        Head head = HEADS.get(loss.getClass());
        return head == null ? "none" : head.op().toLowerCase(java.util.Locale.ROOT);
    }
}
