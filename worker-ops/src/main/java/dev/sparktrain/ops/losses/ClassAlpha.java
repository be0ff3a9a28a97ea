package dev.sparktrain.ops.losses;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A focal loss's α: one number for every output column, or one per class (output column), as detection codebases
 * weight rare classes. Checks the list's length against the output's width.
 */
final class ClassAlpha {

    private ClassAlpha() {
    }

    /** α as a {@code [1, D]} row for {@code output}'s D columns (a single α repeated). */
    static INDArray row(String loss, List<Double> alpha, INDArray output) {
        long d = output.size(1);
        check(loss, alpha, d);
        double[] values = new double[(int) d];
        for (int c = 0; c < d; c++) {
            values[c] = alpha.size() == 1 ? alpha.get(0) : alpha.get(c);
        }
        return Nd4j.create(values, new long[] {1, d}, output.dataType());
    }

    /** Refuses a per-class list whose length is not the output's width. */
    static void check(String loss, List<Double> alpha, long outputs) {
        if (alpha.size() != 1 && alpha.size() != outputs) {
            throw new IllegalArgumentException(loss + ".alpha has " + alpha.size() + " entries, expected one per "
                    + "output (" + outputs + ") or a single number");
        }
    }

    /** Config form: the number, or the list. */
    static String describe(List<Double> alpha) {
        return alpha.size() == 1 ? String.valueOf(alpha.get(0)) : alpha.toString();
    }
}
