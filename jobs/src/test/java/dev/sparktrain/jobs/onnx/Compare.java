package dev.sparktrain.jobs.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Element-wise comparisons of float outputs that name the worst entry. */
final class Compare {

    private Compare() {
    }

    static void absolute(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tolerance)) {
            throw new AssertionError(what + ": |difference| " + worst + " > " + tolerance + " at " + at + " (expected "
                    + expected[at] + ", got " + actual[at] + ")");
        }
    }

    /**
     * |a − b| ≤ tolerance·max(|a|, |b|, floor): relative, where the floor, 1% of the largest |expected| value (at least
     * 1e-6), keeps values that float32 sums of much larger terms cancel to near 0 from demanding more digits than
     * float32 has.
     */
    static void relative(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        double largest = 0;
        for (float e : expected) {
            largest = Math.max(largest, Math.abs(e));
        }
        double floor = Math.max(1e-6, 0.01 * largest);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(floor, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= tolerance * scale)) {
                throw new AssertionError(what + ": relative difference " + d / scale + " > " + tolerance + " at " + i
                        + " (expected " + expected[i] + ", got " + actual[i] + ")");
            }
        }
    }

    static int argMax(float[] values, int from, int width) {
        int best = 0;
        for (int c = 1; c < width; c++) {
            if (values[from + c] > values[from + best]) {
                best = c;
            }
        }
        return best;
    }
}
