package dev.sparktrain.driver.eval;

/**
 * Mergeable evaluation counts: samples and summed loss for every model; for classifiers also the confusion matrix
 * ({@code confusion[actual * classes + predicted]}), top-k hits and, for two classes, histograms of the class-1
 * score per actual class (for the ROC AUC). Starts empty; merging with an empty sum is the identity.
 */
public final class EvaluationSum implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    /** Largest k reported for top-k accuracy. */
    public static final int MAX_TOP_K = 5;
    /** Score histogram resolution for the AUC: its error is below 1/BINS. */
    static final int BINS = 1000;

    private final int classes;
    private final long[] confusion;
    private final long[] topKHits;
    private final long[] scoreHistogramNegative;
    private final long[] scoreHistogramPositive;
    private double lossSum;
    private long count;

    /** {@code classes} 0 for regression (loss only). */
    public EvaluationSum(int classes) {
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (regression) or >= 2, got " + classes);
        }
        this.classes = classes;
        this.confusion = new long[classes * classes];
        this.topKHits = new long[Math.min(MAX_TOP_K, classes)];
        this.scoreHistogramNegative = new long[classes == 2 ? BINS : 0];
        this.scoreHistogramPositive = new long[classes == 2 ? BINS : 0];
    }

    /** Adds a batch of a regression model: its mean loss over {@code rows} rows. Changes this sum in place. */
    public EvaluationSum addLoss(double meanLoss, int rows) {
        lossSum += meanLoss * rows;
        count += rows;
        return this;
    }

    /**
     * Adds a batch of a classifier: its mean loss, the actual class of every row and the row-major scores
     * ({@code rows × classes} probabilities, higher = more likely). Changes this sum in place.
     */
    public EvaluationSum addScores(double meanLoss, int[] actual, float[] scores) {
        if (classes == 0 || scores.length != actual.length * classes) {
            throw new IllegalArgumentException("expected " + actual.length + " x " + classes + " scores, got "
                    + scores.length);
        }
        for (int i = 0; i < actual.length; i++) {
            int a = checkedLabel(actual[i]);
            int offset = i * classes;
            float own = scores[offset + a];
            int predicted = 0;
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                float s = scores[offset + c];
                if (s > scores[offset + predicted]) {
                    predicted = c;
                }
                // Ties count against the true class, so a constant classifier scores no better than chance.
                if (c != a && s >= own) {
                    higher++;
                }
            }
            addRow(a, predicted, higher, classes == 2 ? scores[offset + 1] : 0);
        }
        return addLoss(meanLoss, actual.length);
    }

    /**
     * Adds a batch of a binary model with one sigmoid output: its mean loss, the actual class of every row and the
     * class-1 probability p of every row. The predicted class is {@link TaskKind#binaryClass}'s, as predict's, so
     * p = 0.5 counts as class 1 (the arg-max of (1 − p, p) would pick class 0 there); the label is in the top 1 iff it
     * is the predicted class. Changes this sum in place.
     */
    public EvaluationSum addBinary(double meanLoss, int[] actual, float[] classOneProbability) {
        if (classes != 2 || classOneProbability.length != actual.length) {
            throw new IllegalArgumentException("expected " + actual.length + " class-1 probabilities of a 2-class"
                    + " evaluation, got " + classOneProbability.length + " for " + classes + " classes");
        }
        for (int i = 0; i < actual.length; i++) {
            int a = checkedLabel(actual[i]);
            float p = classOneProbability[i];
            int predicted = TaskKind.binaryClass(p);
            addRow(a, predicted, predicted == a ? 0 : 1, p);
        }
        return addLoss(meanLoss, actual.length);
    }

    private int checkedLabel(int a) {
        if (a < 0 || a >= classes) {
            throw new IllegalArgumentException("class label " + a + " is outside [0, " + (classes - 1) + "]");
        }
        return a;
    }

    /** One row: its actual and predicted class, how many other classes rank at least as high, its class-1 score. */
    private void addRow(int actual, int predicted, int higher, float classOneScore) {
        confusion[actual * classes + predicted]++;
        for (int k = higher; k < topKHits.length; k++) {
            topKHits[k]++;
        }
        if (classes == 2) {
            int bin = Math.min(BINS - 1, Math.max(0, (int) (classOneScore * BINS)));
            (actual == 1 ? scoreHistogramPositive : scoreHistogramNegative)[bin]++;
        }
    }

    public EvaluationSum merge(EvaluationSum other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge evaluations of " + classes + " and " + other.classes
                    + " classes");
        }
        add(confusion, other.confusion);
        add(topKHits, other.topKHits);
        add(scoreHistogramNegative, other.scoreHistogramNegative);
        add(scoreHistogramPositive, other.scoreHistogramPositive);
        lossSum += other.lossSum;
        count += other.count;
        return this;
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    public long count() {
        return count;
    }

    public int classes() {
        return classes;
    }

    public boolean isClassification() {
        return classes > 0;
    }

    public double meanLoss() {
        requireNonEmpty();
        return lossSum / count;
    }

    public double accuracy() {
        return topK(1);
    }

    /** Share of rows whose true class is among the {@code k} highest scores (1 ≤ k ≤ min(5, classes)). */
    public double topK(int k) {
        requireClassification();
        if (k < 1 || k > topKHits.length) {
            throw new IllegalArgumentException("top-k needs k in [1, " + topKHits.length + "], got " + k);
        }
        return (double) topKHits[k - 1] / count;
    }

    /** Of the rows predicted as {@code c}, the share that are {@code c} (0 when none was predicted). */
    public double precision(int c) {
        return classMetrics().precision(c);
    }

    /** Of the rows of class {@code c}, the share predicted as {@code c} (0 when the class is absent). */
    public double recall(int c) {
        return classMetrics().recall(c);
    }

    public double f1(int c) {
        return classMetrics().f1(c);
    }

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        return classMetrics().macroF1();
    }

    /** Per-class precision, recall and F1 of the confusion matrix so far (classification only). */
    public ClassMetrics classMetrics() {
        return new ClassMetrics(confusionMatrix());
    }

    /**
     * ROC AUC of the class-1 score (two classes only): the probability that a random positive scores above a random
     * negative, ties counting one half, computed on a 1000-bin histogram of the scores.
     */
    public double auc() {
        requireClassification();
        if (classes != 2) {
            throw new IllegalStateException("AUC is defined here for two classes, this evaluation has " + classes);
        }
        long positives = 0;
        long negatives = 0;
        for (int b = 0; b < BINS; b++) {
            positives += scoreHistogramPositive[b];
            negatives += scoreHistogramNegative[b];
        }
        if (positives == 0 || negatives == 0) {
            throw new IllegalStateException("AUC needs both classes in the data, got " + positives + " positives and "
                    + negatives + " negatives");
        }
        double pairs = 0;
        long negativesBelow = 0;
        for (int b = 0; b < BINS; b++) {
            pairs += scoreHistogramPositive[b] * (negativesBelow + scoreHistogramNegative[b] / 2.0);
            negativesBelow += scoreHistogramNegative[b];
        }
        return pairs / ((double) positives * negatives);
    }

    /** One line: {@code loss 0.3468 accuracy 0.8789 top5 0.9968 macro_f1 0.8781} (and {@code auc} for 2 classes). */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "loss %.4f", meanLoss()));
        if (isClassification()) {
            sb.append(String.format(java.util.Locale.ROOT, " accuracy %.4f top%d %.4f macro_f1 %.4f", accuracy(),
                    topKHits.length, topK(topKHits.length), macroF1()));
            if (classes == 2 && hasBothClasses()) {
                sb.append(String.format(java.util.Locale.ROOT, " auc %.4f", auc()));
            }
        }
        return sb.toString();
    }

    private boolean hasBothClasses() {
        return java.util.Arrays.stream(scoreHistogramPositive).sum() > 0
                && java.util.Arrays.stream(scoreHistogramNegative).sum() > 0;
    }

    /** A copy of the confusion matrix, rows = actual class, columns = predicted class. */
    public long[][] confusionMatrix() {
        requireClassification();
        long[][] m = new long[classes][classes];
        for (int a = 0; a < classes; a++) {
            System.arraycopy(confusion, a * classes, m[a], 0, classes);
        }
        return m;
    }

    private void requireNonEmpty() {
        if (count == 0) {
            throw new IllegalStateException("empty evaluation: no samples were added");
        }
    }

    private void requireClassification() {
        requireNonEmpty();
        if (classes == 0) {
            throw new IllegalStateException("classification metrics of a regression model");
        }
    }
}
