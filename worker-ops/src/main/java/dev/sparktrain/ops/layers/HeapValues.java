package dev.sparktrain.ops.layers;

import java.util.Arrays;
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
abstract sealed class HeapValues {

    /** An empty working array of this data type. */
    static HeapValues of(DataType type) {
        return switch (type) {
            case FLOAT -> new Floats();
            case DOUBLE -> new Doubles();
            default -> throw new IllegalArgumentException("expected float32 or float64 values, got " + type);
        };
    }

    abstract DataType dataType();

    /** Makes room for {@code length} values; the contents are unspecified afterwards. */
    abstract HeapValues ensure(int length);

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

    /** this[at] += to.get(from) for every k: the max-pool scatter, this[index[k]] += from[k] for k in [0, n). */
    abstract void scatterAdd(int[] index, HeapValues from, int n);

    /** acc[0] += Σ (this[from + k] − shift), acc[1] += Σ (this[from + k] − shift)² over k in [0, length). */
    abstract void moments(int from, int length, double shift, double[] acc);

    /** acc[0] += Σ this[from + k], acc[1] += Σ this[from + k]·other[from + k]. */
    abstract void sumAndDot(int from, HeapValues other, int length, double[] acc);

    /** to[at + k] = a·this[from + k] + b·other[from + k] + c ({@code other} may be null when b is 0). */
    abstract void combine(int from, double a, HeapValues other, double b, double c, HeapValues to, int at,
                          int length);

    static int length(INDArray a) {
        if (a.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an array of " + a.length() + " values is larger than 2^31 - 1");
        }
        return (int) a.length();
    }

    /** True when the array's values are the first a.length entries of its native buffer, in row-major order. */
    static boolean startsItsBuffer(INDArray a) {
        if (a.offset() != 0 || a.isEmpty()) {
            return false;
        }
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) > 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }

    private static final class Floats extends HeapValues {
        private float[] values = new float[0];

        @Override
        DataType dataType() {
            return DataType.FLOAT;
        }

        @Override
        HeapValues ensure(int length) {
            if (values.length < length) {
                values = new float[length];
            }
            return this;
        }

        @Override
        HeapValues load(INDArray a) {
            int n = length(a);
            ensure(n);
            if (a.dataType() == DataType.FLOAT && startsItsBuffer(a)) {
                a.data().asNioFloat().get(0, values, 0, n);
            } else {
                float[] copy = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
                System.arraycopy(copy, 0, values, 0, n);
            }
            return this;
        }

        @Override
        void store(INDArray a) {
            int n = length(a);
            if (a.dataType() == DataType.FLOAT && startsItsBuffer(a)) {
                a.data().asNioFloat().put(0, values, 0, n);
            } else {
                a.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(Arrays.copyOf(values, n)).reshape('c',
                        a.shape()));
            }
        }

        @Override
        double get(int i) {
            return values[i];
        }

        @Override
        void set(int i, double v) {
            values[i] = (float) v;
        }

        @Override
        void zero(int from, int to) {
            Arrays.fill(values, from, to, 0f);
        }

        @Override
        void copyBlock(int from, int rowStep, int colStep, HeapValues to, int at, int toRowStride, int rows,
                       int columns) {
            float[] target = ((Floats) to).values;
            for (int r = 0; r < rows; r++) {
                int src = from + r * rowStep;
                int dst = at + r * toRowStride;
                if (colStep == 1 && columns > 32) {
                    System.arraycopy(values, src, target, dst, columns);
                } else if (colStep == 1) {
                    // Short rows (a small feature map's width): a plain loop beats arraycopy's call for each.
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] = values[src + k];
                    }
                } else {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] = values[src + k * colStep];
                    }
                }
            }
        }

        @Override
        void addBlock(int from, int fromRowStride, HeapValues to, int at, int rowStep, int colStep, int rows,
                      int columns) {
            float[] target = ((Floats) to).values;
            for (int r = 0; r < rows; r++) {
                int src = from + r * fromRowStride;
                int dst = at + r * rowStep;
                if (colStep == 1) {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] += values[src + k];
                    }
                } else {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k * colStep] += values[src + k];
                    }
                }
            }
        }

        @Override
        void biasRun(int from, double bias, boolean rectify, HeapValues to, int at, int length) {
            float[] target = ((Floats) to).values;
            float b = (float) bias;
            if (rectify) {
                for (int k = 0; k < length; k++) {
                    target[at + k] = Math.max(0f, values[from + k] + b);
                }
            } else {
                for (int k = 0; k < length; k++) {
                    target[at + k] = values[from + k] + b;
                }
            }
        }

        @Override
        double maskedRun(int from, HeapValues mask, HeapValues to, int at, int length) {
            float[] target = ((Floats) to).values;
            float sum = 0;
            if (mask == null) {
                for (int k = 0; k < length; k++) {
                    float v = values[from + k];
                    target[at + k] = v;
                    sum += v;
                }
            } else {
                float[] m = ((Floats) mask).values;
                for (int k = 0; k < length; k++) {
                    float v = m[from + k] > 0 ? values[from + k] : 0f;
                    target[at + k] = v;
                    sum += v;
                }
            }
            return sum;
        }

        @Override
        int argmax(int at, int rows, int columns, int rowStride) {
            int best = at;
            float m = values[at];
            for (int r = 0; r < rows; r++) {
                for (int c = 0, i = at + r * rowStride; c < columns; c++, i++) {
                    // Without branches: which value is larger is a coin toss, and mispredicted branches took most
                    // of this loop's time (docs/performance.md). m − v is negative exactly when v > m.
                    float v = values[i];
                    int larger = -(Float.floatToRawIntBits(m - v) >>> 31);
                    best ^= (best ^ i) & larger;
                    int bits = Float.floatToRawIntBits(m);
                    m = Float.intBitsToFloat(bits ^ ((bits ^ Float.floatToRawIntBits(v)) & larger));
                }
            }
            return best;
        }

        @Override
        int argmax2x2(int at, int rowStride) {
            int below = at + rowStride;
            return larger(larger(at, at + 1), larger(below, below + 1));
        }

        /** i or j, whichever holds the larger value (i when equal), without a branch. */
        private int larger(int i, int j) {
            int jLarger = -(Float.floatToRawIntBits(values[i] - values[j]) >>> 31);
            return i ^ ((i ^ j) & jLarger);
        }

        @Override
        void moments(int from, int length, double shift, double[] acc) {
            double sum = 0;
            double squares = 0;
            for (int k = from; k < from + length; k++) {
                double d = values[k] - shift;
                sum += d;
                squares += d * d;
            }
            acc[0] += sum;
            acc[1] += squares;
        }

        @Override
        void sumAndDot(int from, HeapValues other, int length, double[] acc) {
            float[] o = ((Floats) other).values;
            double sum = 0;
            double dot = 0;
            for (int k = from; k < from + length; k++) {
                sum += values[k];
                dot += values[k] * o[k];
            }
            acc[0] += sum;
            acc[1] += dot;
        }

        @Override
        void combine(int from, double a, HeapValues other, double b, double c, HeapValues to, int at, int length) {
            float[] target = ((Floats) to).values;
            float fa = (float) a;
            float fb = (float) b;
            float fc = (float) c;
            if (other == null || b == 0) {
                for (int k = 0; k < length; k++) {
                    target[at + k] = fa * values[from + k] + fc;
                }
            } else {
                float[] o = ((Floats) other).values;
                for (int k = 0; k < length; k++) {
                    target[at + k] = fa * values[from + k] + fb * o[from + k] + fc;
                }
            }
        }

        @Override
        void scatterAdd(int[] index, HeapValues from, int n) {
            float[] source = ((Floats) from).values;
            for (int k = 0; k < n; k++) {
                values[index[k]] += source[k];
            }
        }
    }

    private static final class Doubles extends HeapValues {
        private double[] values = new double[0];

        @Override
        DataType dataType() {
            return DataType.DOUBLE;
        }

        @Override
        HeapValues ensure(int length) {
            if (values.length < length) {
                values = new double[length];
            }
            return this;
        }

        @Override
        HeapValues load(INDArray a) {
            int n = length(a);
            ensure(n);
            double[] copy = a.dataType() == DataType.DOUBLE && startsItsBuffer(a) ? null
                    : a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            if (copy == null) {
                a.data().asNioDouble().get(0, values, 0, n);
            } else {
                System.arraycopy(copy, 0, values, 0, n);
            }
            return this;
        }

        @Override
        void store(INDArray a) {
            int n = length(a);
            if (a.dataType() == DataType.DOUBLE && startsItsBuffer(a)) {
                a.data().asNioDouble().put(0, values, 0, n);
            } else {
                a.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(Arrays.copyOf(values, n)).reshape('c',
                        a.shape()).castTo(a.dataType()));
            }
        }

        @Override
        double get(int i) {
            return values[i];
        }

        @Override
        void set(int i, double v) {
            values[i] = v;
        }

        @Override
        void zero(int from, int to) {
            Arrays.fill(values, from, to, 0.0);
        }

        @Override
        void copyBlock(int from, int rowStep, int colStep, HeapValues to, int at, int toRowStride, int rows,
                       int columns) {
            double[] target = ((Doubles) to).values;
            for (int r = 0; r < rows; r++) {
                int src = from + r * rowStep;
                int dst = at + r * toRowStride;
                if (colStep == 1 && columns > 32) {
                    System.arraycopy(values, src, target, dst, columns);
                } else if (colStep == 1) {
                    // Short rows (a small feature map's width): a plain loop beats arraycopy's call for each.
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] = values[src + k];
                    }
                } else {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] = values[src + k * colStep];
                    }
                }
            }
        }

        @Override
        void addBlock(int from, int fromRowStride, HeapValues to, int at, int rowStep, int colStep, int rows,
                      int columns) {
            double[] target = ((Doubles) to).values;
            for (int r = 0; r < rows; r++) {
                int src = from + r * fromRowStride;
                int dst = at + r * rowStep;
                if (colStep == 1) {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k] += values[src + k];
                    }
                } else {
                    for (int k = 0; k < columns; k++) {
                        target[dst + k * colStep] += values[src + k];
                    }
                }
            }
        }

        @Override
        void biasRun(int from, double bias, boolean rectify, HeapValues to, int at, int length) {
            double[] target = ((Doubles) to).values;
            for (int k = 0; k < length; k++) {
                double v = values[from + k] + bias;
                target[at + k] = rectify ? Math.max(0, v) : v;
            }
        }

        @Override
        double maskedRun(int from, HeapValues mask, HeapValues to, int at, int length) {
            double[] target = ((Doubles) to).values;
            double[] m = mask == null ? null : ((Doubles) mask).values;
            double sum = 0;
            for (int k = 0; k < length; k++) {
                double v = m == null || m[from + k] > 0 ? values[from + k] : 0;
                target[at + k] = v;
                sum += v;
            }
            return sum;
        }
        @Override
        int argmax(int at, int rows, int columns, int rowStride) {
            int best = at;
            double m = values[at];
            for (int r = 0; r < rows; r++) {
                for (int c = 0, i = at + r * rowStride; c < columns; c++, i++) {
                    if (values[i] > m) {
                        m = values[i];
                        best = i;
                    }
                }
            }
            return best;
        }

        @Override
        int argmax2x2(int at, int rowStride) {
            return argmax(at, 2, 2, rowStride);
        }

        @Override
        void moments(int from, int length, double shift, double[] acc) {
            double sum = 0;
            double squares = 0;
            for (int k = from; k < from + length; k++) {
                double d = values[k] - shift;
                sum += d;
                squares += d * d;
            }
            acc[0] += sum;
            acc[1] += squares;
        }

        @Override
        void sumAndDot(int from, HeapValues other, int length, double[] acc) {
            double[] o = ((Doubles) other).values;
            double sum = 0;
            double dot = 0;
            for (int k = from; k < from + length; k++) {
                sum += values[k];
                dot += values[k] * o[k];
            }
            acc[0] += sum;
            acc[1] += dot;
        }

        @Override
        void combine(int from, double a, HeapValues other, double b, double c, HeapValues to, int at, int length) {
            double[] target = ((Doubles) to).values;
            double fa = (double) a;
            double fb = (double) b;
            double fc = (double) c;
            if (other == null || b == 0) {
                for (int k = 0; k < length; k++) {
                    target[at + k] = fa * values[from + k] + fc;
                }
            } else {
                double[] o = ((Doubles) other).values;
                for (int k = 0; k < length; k++) {
                    target[at + k] = fa * values[from + k] + fb * o[from + k] + fc;
                }
            }
        }

        @Override
        void scatterAdd(int[] index, HeapValues from, int n) {
            double[] source = ((Doubles) from).values;
            for (int k = 0; k < n; k++) {
                values[index[k]] += source[k];
            }
        }
    }
}
