package dev.sparktrain.ps.fused;

/**
 * Sums of squares of float values in double, in a fixed order: four running sums over the elements i ≡ 0, 1, 2, 3
 * (mod 4), then added in that order. Four independent sums keep the additions from waiting on each other; the order
 * is fixed by the code, so the result is the same on every run and thread.
 */
final class Squares {

    private Squares() {
    }

    /** Σ a[from + i]², i in [0, len). */
    static double of(float[] a, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            double x0 = a[from + i];
            double x1 = a[from + i + 1];
            double x2 = a[from + i + 2];
            double x3 = a[from + i + 3];
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < len; i++) {
            double x = a[from + i];
            s0 += x * x;
        }
        return s0 + s1 + s2 + s3;
    }

    /** Σ (a[i] − b[i])², the difference rounded to float as the vectors' own subtraction rounds it; i in [0, len). */
    static double ofDifference(float[] a, float[] b, int len) {
        return ofDifference(a, 0, b, 0, len);
    }

    /** Σ (a[i] − b[from + i])², i in [0, len). */
    static double ofDifference(float[] a, float[] b, int from, int len) {
        return ofDifference(a, 0, b, from, len);
    }

    private static double ofDifference(float[] a, int aFrom, float[] b, int bFrom, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= len; i += 4) {
            double d0 = a[aFrom + i] - b[bFrom + i];
            double d1 = a[aFrom + i + 1] - b[bFrom + i + 1];
            double d2 = a[aFrom + i + 2] - b[bFrom + i + 2];
            double d3 = a[aFrom + i + 3] - b[bFrom + i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < len; i++) {
            double d = a[aFrom + i] - b[bFrom + i];
            s0 += d * d;
        }
        return s0 + s1 + s2 + s3;
    }
}
