package dev.sparktrain.jobs.ml;

import dev.sparktrain.driver.eval.TaskKind;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The columns a model appends, with Spark ML's meanings. For a multi-class network: the raw outputs (logits), the
 * loss's prediction from them (softmax probabilities for softmax cross-entropy) and the arg-max class. For one
 * sigmoid output z with probability p (binary losses), as Spark's logistic regression: raw {@code [-z, z]},
 * probability {@code [1-p, p]}, class 1 when p ≥ 0.5 (as evaluation counts it). For regression, the value.
 */
enum OutputColumn {
    PREDICTION(DataTypes.DoubleType),
    RAW_PREDICTION(new VectorUDT()),
    PROBABILITY(new VectorUDT());

    private final DataType type;

    OutputColumn(DataType type) {
        this.type = type;
    }

    DataType type() {
        return type;
    }

    /**
     * This column's value for row {@code r} of a batch.
     *
     * @param raw       the network's outputs, {@code width} per row
     * @param predicted the loss's prediction from them, {@code width} per row
     */
    Object value(TaskKind kind, float[] raw, float[] predicted, int r, int width) {
        int at = r * width;
        return switch (this) {
            case PREDICTION -> switch (kind) {
                case MULTICLASS -> (double) argMax(raw, at, width);
                case BINARY -> (double) TaskKind.binaryClass(predicted[at]);
                case REGRESSION -> (double) predicted[at];
            };
            case RAW_PREDICTION -> kind == TaskKind.BINARY ? Vectors.dense(-raw[at], raw[at]) : dense(raw, at, width);
            case PROBABILITY -> kind == TaskKind.BINARY ? Vectors.dense(1.0 - predicted[at], predicted[at])
                    : dense(predicted, at, width);
        };
    }

    /** The first index of the largest value, as the driver's evaluation picks the class. */
    static int argMax(float[] values, int from, int width) {
        int best = 0;
        for (int c = 1; c < width; c++) {
            if (values[from + c] > values[from + best]) {
                best = c;
            }
        }
        return best;
    }

    private static org.apache.spark.ml.linalg.Vector dense(float[] values, int from, int width) {
        double[] out = new double[width];
        for (int c = 0; c < width; c++) {
            out[c] = values[from + c];
        }
        return Vectors.dense(out);
    }
}
