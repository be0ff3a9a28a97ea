package dev.sparktrain.driver.aggregate;

/** Turns sample-weighted sums (Σ nᵢ·xᵢ) into means, for {@link GradientSum} and {@link ParameterSum}. */
final class SampleMeans {

    private SampleMeans() {
    }

    /**
     * Each sum over {@code count}, in {@code reuse} when it has the sums' length (a fresh vector-sized array each
     * round costs more than the division), else in a new array: one correctly rounded float division each, in a loop
     * the JIT vectorizes (the double arithmetic it replaced was not, and was the driver's top Java frame).
     */
    static float[] of(float[] sums, long count, float[] reuse) {
        float[] mean = reuse != null && reuse.length == sums.length ? reuse : new float[sums.length];
        float n = count;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = sums[i] / n;
        }
        return mean;
    }
}
