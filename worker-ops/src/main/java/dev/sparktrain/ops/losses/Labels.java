package dev.sparktrain.ops.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Label validation and conversion shared by the losses; every error names the loss and both shapes. */
final class Labels {

    private Labels() {
    }

    /**
     * Class labels as a {@code [B, C]} matrix in the output's data type: class indices ({@code [B]} or
     * {@code [B, 1]}, integers in [0, C−1]) become one-hot rows; {@code [B, C]} rows are taken as given
     * (one-hot or a distribution).
     */
    static INDArray classes(String loss, INDArray output, INDArray labels) {
        if (!areIndices(loss, output, labels)) {
            return copyAs(labels, output);
        }
        int[] indices = indices(loss, output, labels);
        int classes = (int) output.size(1);
        double[] oneHot = new double[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            oneHot[i * classes + indices[i]] = 1;
        }
        return Nd4j.create(oneHot, new long[] {indices.length, classes}, output.dataType());
    }

    /**
     * Whether {@code labels} are class indices ({@code [B]} or {@code [B, 1]}) rather than {@code [B, C]} rows for
     * a {@code [B, C]} output; throws if they are neither.
     */
    static boolean areIndices(String loss, INDArray output, INDArray labels) {
        long batch = output.size(0);
        long classes = output.size(1);
        boolean oneHot = labels.rank() == 2 && labels.size(0) == batch && labels.size(1) == classes && classes > 1;
        boolean indices = !oneHot && labels.length() == batch && (labels.rank() == 1 || labels.size(1) == 1);
        if (!indices && !oneHot) {
            throw new IllegalArgumentException(loss + ": labels of shape " + Arrays.toString(labels.shape())
                    + " do not fit output of shape " + Arrays.toString(output.shape()) + "; expected class indices ["
                    + batch + "] or one-hot [" + batch + ", " + classes + "]");
        }
        return indices;
    }

    /**
     * Class indices (labels for which {@link #areIndices} holds) as ints, checked to be whole numbers in [0, C−1].
     * The check runs on the Java heap: on a {@code [B]} vector that is cheaper than the native min, max and floor
     * reductions it replaces.
     */
    static int[] indices(String loss, INDArray output, INDArray labels) {
        long classes = output.size(1);
        double[] values = HeapValues.rowMajor(labels);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean whole = true;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            whole &= v == Math.floor(v);
        }
        if (min < 0 || max > classes - 1) {
            throw new IllegalArgumentException(loss + ": class labels must be in [0, " + (classes - 1)
                    + "], got values in [" + min + ", " + max + "]");
        }
        if (!whole) {
            throw new IllegalArgumentException(loss + ": class labels must be whole numbers, got "
                    + labels.reshape(labels.length()));
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    /** Targets with exactly the output's shape ({@code [B]} accepted for a {@code [B, 1]} output). */
    static INDArray sameShape(String loss, INDArray output, INDArray labels) {
        if (Arrays.equals(output.shape(), labels.shape())) {
            return copyAs(labels, output);
        }
        if (labels.length() == output.length() && labels.rank() == 1 && output.size(0) == labels.length()) {
            return copyAs(labels.reshape(output.shape()), output);
        }
        throw new IllegalArgumentException(loss + ": labels of shape " + Arrays.toString(labels.shape())
                + " do not fit output of shape " + Arrays.toString(output.shape()) + "; expected the same shape");
    }

    /** A fresh copy of {@code labels} in the output's data type: losses may then work on it in place. */
    private static INDArray copyAs(INDArray labels, INDArray output) {
        return labels.dataType() == output.dataType() ? labels.dup() : labels.castTo(output.dataType());
    }

    /** Throws unless every value of {@code a} is in [0, 1]. */
    static void checkUnitInterval(String loss, String what, INDArray a) {
        double min = a.minNumber().doubleValue();
        double max = a.maxNumber().doubleValue();
        if (!(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException(loss + ": " + what + " must be in [0, 1], got values in [" + min + ", "
                    + max + "]");
        }
    }
}
