package dev.sparktrain.ops.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Java-heap working copy of an array's values (float32 or float64, row-major), kept by a layer from pass to pass,
 * for the loops BLAS does not cover: im2col, the bias/activation layout of a convolution, pooling, batch-norm
 * statistics. Native arrays cross in and out with one bulk copy each ({@link #load}, {@link #store}); element
 * access to native memory from Java costs several times more per value than on a heap array (docs/performance.md).
 * Values cross the generic methods as doubles, so one loop serves both precisions: float32 in training, float64 in
 * gradient checks; a training run only meets the float implementation, which keeps the call sites monomorphic.
 * The array grows when a larger one is asked for and is never shrunk.
 */
abstract sealed class HeapValues permits FloatHeapValues, DoubleHeapValues {

    /** Per thread, one working array per data type for values that live within one call (a column matrix). */
    private static final ThreadLocal<HeapValues[]> SCRATCH = ThreadLocal.withInitial(() -> new HeapValues[2]);

    /**
     * This thread's scratch array of {@code type}: for values a layer needs only within one call, so that all layers
     * of a network share one (the largest column matrix) instead of keeping one each. What it holds is overwritten
     * by the next call that takes it.
     */
    static HeapValues scratch(DataType type) {
        HeapValues[] kept = SCRATCH.get();
        int slot = type == DataType.DOUBLE ? 1 : 0;
        if (kept[slot] == null) {
            kept[slot] = of(type);
        }
        return kept[slot];
    }

    /** An empty working array of this data type. */
    static HeapValues of(DataType type) {
        return switch (type) {
            case FLOAT -> new FloatHeapValues();
            case DOUBLE -> new DoubleHeapValues();
            default -> throw new IllegalArgumentException("expected float32 or float64 values, got " + type);
        };
    }

    abstract DataType dataType();

    /** Makes room for {@code length} values; the contents are unspecified afterwards. */
    abstract HeapValues ensure(int length);

    /** How many values the working array holds now (what the largest {@link #ensure} or {@link #load} asked for). */
    abstract int capacity();

    /** Copies {@code a}'s values (row-major) into entries 0 .. a.length − 1. */
    abstract HeapValues load(INDArray a);

    /** Copies entries 0 .. a.length − 1 into {@code a} (row-major), in place. */
    abstract void store(INDArray a);

    abstract double get(int i);

    abstract void set(int i, double v);

    /** Sets entries {@code from} (inclusive) to {@code to} (exclusive) to 0. */
    abstract void zero(int from, int to);

    /**
     * A 2-D gather: to[at + r·toRowStride + k] = this[from + r·rowStep + k·colStep] for r in [0, rows), k in
     * [0, columns) (im2col's rows of one sample and tap).
     */
    abstract void copyBlock(int from, int rowStep, int colStep, HeapValues to, int at, int toRowStride, int rows,
                            int columns);

    /** The reverse scatter: to[at + r·rowStep + k·colStep] += this[from + r·fromRowStride + k] (col2im). */
    abstract void addBlock(int from, int fromRowStride, HeapValues to, int at, int rowStep, int colStep, int rows,
                           int columns);

    /** to[at + k] = this[from + k] + bias for k in [0, length), through max(0, ·) when {@code rectify}. */
    abstract void biasRun(int from, double bias, boolean rectify, HeapValues to, int at, int length);

    /**
     * to[at + k] = this[from + k], or 0 where {@code mask} (when not null) holds a value &lt;= 0 at from + k (ReLU's
     * derivative read from its output); returns the sum of what was written.
     */
    abstract double maskedRun(int from, HeapValues mask, HeapValues to, int at, int length);

    /**
     * The index of the largest of the {@code rows}×{@code columns} values starting at {@code at}, rows
     * {@code rowStride} apart (the first of equal ones).
     */
    abstract int argmax(int at, int rows, int columns, int rowStride);

    /** As {@link #argmax} for a 2×2 window, the usual pooling window, in straight-line code. */
    abstract int argmax2x2(int at, int rowStride);

    /** The max-pool scatter: this[index[k]] += from[k] for k in [0, n). */
    abstract void scatterAdd(int[] index, HeapValues from, int n);

    /**
     * As {@link #scatterAdd}, adding +0 instead of {@code from[k]} where {@code mask[k]} is not positive (ReLU's
     * derivative at the position the value goes to, when {@code mask[k]} is ReLU's output there).
     */
    abstract void scatterAddWherePositive(int[] index, HeapValues from, HeapValues mask, int n);

    /**
     * As {@link #scatterAddWherePositive(int[], HeapValues, HeapValues, int)} reading {@code from} and {@code mask}
     * where they lie, without copying them onto the heap, if it can (float32 arrays laid out from their buffers'
     * start); otherwise does nothing and returns false.
     */
    abstract boolean scatterAddWherePositive(int[] index, INDArray from, INDArray mask, int n);

    /** acc[0] += Σ (this[from + k] − shift), acc[1] += Σ (this[from + k] − shift)² over k in [0, length). */
    abstract void moments(int from, int length, double shift, double[] acc);

    /** acc[0] += Σ this[from + k], acc[1] += Σ this[from + k]·other[from + k]. */
    abstract void sumAndDot(int from, HeapValues other, int length, double[] acc);

    /**
     * {@link #moments} of one sample's channels c .. c + count − 1, whose runs of {@code length} values start at
     * from, from + length, ...: sums[j] and squares[j] gain channel j's two sums about shift[j]. Each channel's run
     * is summed on its own in the order {@link #moments} sums it, so the results are those of one call per channel
     * to the bit; an implementation may interleave several channels' runs, whose additions are independent chains.
     */
    void channelMoments(int from, int c, int count, int length, double[] shift, double[] sums, double[] squares) {
        double[] acc = new double[2];
        for (int j = c; j < c + count; j++) {
            acc[0] = 0;
            acc[1] = 0;
            moments(from + (j - c) * length, length, shift[j], acc);
            sums[j] += acc[0];
            squares[j] += acc[1];
        }
    }

    /**
     * {@link #sumAndDot} of one sample's channels c .. c + count − 1 (runs of {@code length} values from
     * {@code from} on, as in {@link #channelMoments}): sums[j] and dots[j] gain channel j's; the same to the bit as
     * one call per channel.
     */
    void channelSumsAndDots(int from, int c, int count, int length, HeapValues other, double[] sums,
                            double[] dots) {
        double[] acc = new double[2];
        for (int j = c; j < c + count; j++) {
            acc[0] = 0;
            acc[1] = 0;
            sumAndDot(from + (j - c) * length, other, length, acc);
            sums[j] += acc[0];
            dots[j] += acc[1];
        }
    }

    /**
     * Batch-norm's forward for one run: normalized[from + k] = a·this[from + k] + c, and to[from + k] = gamma ·
     * normalized[from + k] + beta, in the data type's arithmetic (the two {@link #combine} passes in one).
     */
    abstract void normalize(int from, double a, double c, double gamma, double beta, HeapValues normalized,
                            HeapValues to, int length);

    /** Sets entries from .. from + length − 1 to {@code value}. */
    abstract void fill(int from, int length, double value);

    /** to[at + k] = a·this[from + k] + b·other[from + k] + c ({@code other} may be null when b is 0). */
    abstract void combine(int from, double a, HeapValues other, double b, double c, HeapValues to, int at,
                          int length);

    static int length(INDArray a) {
        if (a.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an array of " + a.length() + " values is larger than 2^31 - 1");
        }
        return (int) a.length();
    }
}
