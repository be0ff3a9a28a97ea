package dev.sparktrain.driver.eval;

import dev.sparktrain.ops.network.NetworkSpec;
import java.util.Set;

/** What a model predicts, read off its loss and output size: it decides which metrics evaluation reports. */
public enum TaskKind {
    /** C ≥ 2 classes; the prediction is the highest score. */
    MULTICLASS,
    /** One sigmoid output: class 1 when its probability is ≥ {@link #BINARY_THRESHOLD}. */
    BINARY,
    /** Real-valued outputs: loss only. */
    REGRESSION;

    /**
     * The class-1 probability from which a binary model predicts class 1, inclusive: evaluation, predict, the Spark ML
     * model and the ONNX export all decide through {@link #binaryClass}, so p = 0.5 exactly (a logit of 0) is class 1
     * everywhere.
     */
    public static final float BINARY_THRESHOLD = 0.5f;

    private static final Set<String> MULTICLASS_LOSSES = Set.of("softmax_cross_entropy", "nll", "hinge",
            "squared_hinge", "softmax_focal");
    private static final Set<String> BINARY_LOSSES = Set.of("binary_cross_entropy", "binary_cross_entropy_with_logits",
            "sigmoid_focal");

    public static TaskKind of(NetworkSpec spec) {
        String loss = spec.loss().name();
        long outputs = spec.outputShape().size();
        if (MULTICLASS_LOSSES.contains(loss) && outputs >= 2) {
            return MULTICLASS;
        }
        if (BINARY_LOSSES.contains(loss) && outputs == 1) {
            return BINARY;
        }
        return REGRESSION;
    }

    /** Classes in the confusion matrix: the output size, 2 for binary, 0 for regression. */
    public int classes(NetworkSpec spec) {
        return switch (this) {
            case MULTICLASS -> Math.toIntExact(spec.outputShape().size());
            case BINARY -> 2;
            case REGRESSION -> 0;
        };
    }

    /** The class a binary model predicts from its class-1 probability {@code p}. */
    public static int binaryClass(float p) {
        return p >= BINARY_THRESHOLD ? 1 : 0;
    }
}
