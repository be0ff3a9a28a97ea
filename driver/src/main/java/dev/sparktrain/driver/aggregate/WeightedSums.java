package dev.sparktrain.driver.aggregate;

/**
 * The float loops of sample-weighted sums (Σ nᵢ·xᵢ) and their means, for {@link GradientSum} and
 * {@link ParameterSum}. In float: a sample count is exact as a float, so a weighted term is the same single rounding
 * as a double product, and the JIT vectorizes the loops (the double arithmetic they replaced was not, and was the
 * driver's top Java frame).
 */
final class WeightedSums {

    private WeightedSums() {
    }

    /**
     * {@code sum + weight·values} in place; the caller has checked the lengths. A null sum takes {@code values} over
     * and scales them in place (a fresh vector-sized array costs more than the pass): 0 + weight·x, as summing into a
     * zeroed array would give (−0 becomes +0).
     */
    static float[] addScaled(float[] sum, float[] values, float weight) {
        if (sum == null) {
            for (int i = 0; i < values.length; i++) {
                values[i] = 0f + values[i] * weight;
            }
            return values;
        }
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i] * weight;
        }
        return sum;
    }

    /**
     * Each sum over {@code count}, in {@code reuse} when it has the sums' length (a fresh vector-sized array each
     * round costs more than the division), else in a new array: one correctly rounded float division each.
     */
    static float[] means(float[] sums, long count, float[] reuse) {
        float[] mean = reuse != null && reuse.length == sums.length ? reuse : new float[sums.length];
        float n = count;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = sums[i] / n;
        }
        return mean;
    }
}
