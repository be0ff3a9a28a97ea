package dev.sparktrain.jobs.data;

import dev.sparktrain.driver.eval.TaskKind;
import dev.sparktrain.ops.network.NetworkSpec;
import java.io.Serializable;

/**
 * What a label must be: a class index in {@code [0, classes-1]} (multi-class classification), a number in [0, 1]
 * (binary classification with one sigmoid output: 0 or 1, or a soft target) or any finite number (single-output
 * regression). Readers check every row against it while they build blocks, so a bad label is reported with its
 * file and row rather than by the loss inside a Spark task.
 *
 * @param classes number of classes, or 0 for binary and regression
 * @param unitInterval labels are targets in [0, 1] for a single sigmoid output (binary classification)
 */
public record LabelSpec(int classes, boolean unitInterval) implements Serializable {

    public LabelSpec {
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
        }
        if (unitInterval && classes != 0) {
            throw new IllegalArgumentException("binary labels are one target in [0, 1], not " + classes + " classes");
        }
    }

    public static LabelSpec classification(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
        }
        return new LabelSpec(classes, false);
    }

    public static LabelSpec binary() {
        return new LabelSpec(0, true);
    }

    public static LabelSpec regression() {
        return new LabelSpec(0, false);
    }

    /**
     * From the model's loss and output size, as evaluation decides it ({@link TaskKind}): class indices for the
     * multi-class losses, [0, 1] targets for the binary ones, otherwise regression, which needs a single output.
     */
    public static LabelSpec forModel(NetworkSpec model) {
        long outputs = model.outputShape().size();
        return switch (TaskKind.of(model)) {
            case MULTICLASS -> classification(Math.toIntExact(outputs));
            case BINARY -> binary();
            case REGRESSION -> {
                if (outputs != 1) {
                    throw new IllegalArgumentException("model.loss " + model.loss().name() + " with " + outputs
                            + " outputs: the data has one label per row, so the model needs a multi-class loss "
                            + "(softmax_cross_entropy, nll, hinge, squared_hinge, softmax_focal) or 1 output");
                }
                yield regression();
            }
        };
    }

    /** Multi-class: labels are class indices. */
    public boolean isClassification() {
        return classes > 0;
    }

    /** Null if {@code label} is acceptable, otherwise what is wrong with it, e.g. {@code label 12 is not ...}. */
    public String problem(float label) {
        if (!Float.isFinite(label)) {
            return "label is " + label + ", expected a finite number";
        }
        if (isClassification() && (label != Math.rint(label) || label < 0 || label > classes - 1)) {
            return "label " + Values.show(label) + " is not a class index, expected a whole number in [0, "
                    + (classes - 1) + "]";
        }
        if (unitInterval && (label < 0 || label > 1)) {
            return "label " + Values.show(label) + " is outside [0, 1], expected 0 or 1 for a binary loss";
        }
        return null;
    }

    @Override
    public String toString() {
        return isClassification() ? "classification with " + classes + " classes"
                : unitInterval ? "binary classification" : "regression";
    }
}
