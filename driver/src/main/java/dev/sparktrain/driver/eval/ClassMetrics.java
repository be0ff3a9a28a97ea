package dev.sparktrain.driver.eval;

import java.util.Locale;

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows actual, columns predicted), with macro and
 * support-weighted averages. A ratio with nothing to divide (no row predicted as the class, or no row of it) is 0,
 * as scikit-learn's {@code zero_division=0}; the tables mark it with {@code -}.
 */
public record ClassMetrics(long[][] confusion) {

    public ClassMetrics {
        for (long[] row : confusion) {
            if (row.length != confusion.length) {
                throw new IllegalArgumentException("confusion matrix must be square, got a row of " + row.length
                        + " in " + confusion.length + " rows");
            }
        }
    }

    public int classes() {
        return confusion.length;
    }

    public long support(int c) {
        long n = 0;
        for (long v : confusion[c]) {
            n += v;
        }
        return n;
    }

    public long predictedCount(int c) {
        long n = 0;
        for (long[] row : confusion) {
            n += row[c];
        }
        return n;
    }

    public double precision(int c) {
        long p = predictedCount(c);
        return p == 0 ? 0 : (double) confusion[c][c] / p;
    }

    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) confusion[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of the per-class F1. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < classes(); c++) {
            sum += f1(c);
        }
        return sum / classes();
    }

    /** The per-class table with macro and weighted averages. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String row = "%8s %10s %10s %10s %10s%n"; // wide enough for "weighted"
        sb.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "f1", "support"));
        double[] macro = new double[3];
        double[] weighted = new double[3];
        long total = 0;
        for (int c = 0; c < classes(); c++) {
            double[] m = {precision(c), recall(c), f1(c)};
            long s = support(c);
            total += s;
            for (int i = 0; i < 3; i++) {
                macro[i] += m[i] / classes();
                weighted[i] += m[i] * s;
            }
            sb.append(String.format(Locale.ROOT, row, c, predictedCount(c) == 0 ? "-" : fmt(m[0]),
                    s == 0 ? "-" : fmt(m[1]), fmt(m[2]), s));
        }
        sb.append(String.format(Locale.ROOT, row, "macro", fmt(macro[0]), fmt(macro[1]), fmt(macro[2]), total));
        for (int i = 0; i < 3; i++) {
            weighted[i] = total == 0 ? 0 : weighted[i] / total;
        }
        sb.append(String.format(Locale.ROOT, row, "weighted", fmt(weighted[0]), fmt(weighted[1]), fmt(weighted[2]),
                total));
        return sb.toString();
    }

    /** The confusion matrix as text, rows actual, columns predicted. */
    public String confusionTable() {
        long max = 1;
        for (long[] r : confusion) {
            for (long v : r) {
                max = Math.max(max, v);
            }
        }
        int w = Math.max(String.valueOf(max).length(), String.valueOf(classes() - 1).length()) + 1;
        StringBuilder sb = new StringBuilder(String.format("%8s", "actual\\"));
        for (int c = 0; c < classes(); c++) {
            sb.append(String.format("%" + w + "d", c));
        }
        sb.append('\n');
        for (int a = 0; a < classes(); a++) {
            sb.append(String.format("%8d", a));
            for (long v : confusion[a]) {
                sb.append(String.format("%" + w + "d", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
