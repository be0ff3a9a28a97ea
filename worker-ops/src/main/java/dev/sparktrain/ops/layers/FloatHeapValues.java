package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.params.NativeFloats.laidOutFromStart;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link HeapValues} for float32 values: what training uses. */
final class FloatHeapValues extends HeapValues {
    private float[] values = new float[0];

    @Override
    DataType dataType() {
        return DataType.FLOAT;
    }

    @Override
    int capacity() {
        return values.length;
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
        if (a.dataType() == DataType.FLOAT && laidOutFromStart(a)) {
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
        if (a.dataType() == DataType.FLOAT && laidOutFromStart(a)) {
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
        float[] target = ((FloatHeapValues) to).values;
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
        float[] target = ((FloatHeapValues) to).values;
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
        float[] target = ((FloatHeapValues) to).values;
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
        float[] target = ((FloatHeapValues) to).values;
        if (mask == null) {
            System.arraycopy(values, from, target, at, length);
        } else {
            // The mask by bit operations, in a loop of its own without a branch: whether a ReLU output is positive
            // is a coin toss, and a branch on it mispredicted half the time (docs/performance.md, session 12).
            float[] m = ((FloatHeapValues) mask).values;
            for (int k = 0; k < length; k++) {
                target[at + k] = kept(values[from + k], m[from + k]);
            }
        }
        return sum(target, at, length);
    }

    /**
     * v where {@code m} &gt; 0, else 0, without a branch. With t = bits(m) − 1, m &gt; 0 exactly when 0 &lt;= t &lt;
     * bits(+∞) (so not for −0, negatives or NaN), which sets the sign bit of ~t & (t − bits(+∞)).
     */
    private static float kept(float v, float m) {
        int t = Float.floatToRawIntBits(m) - 1;
        int keep = (~t & (t - 0x7f800000)) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & keep);
    }

    /**
     * Σ a[at + k] over k in [0, length), in four interleaved partial sums: one running sum is a chain of dependent
     * additions, each waiting for the last.
     */
    private static float sum(float[] a, int at, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = at;
        int end = at + length;
        for (; k + 4 <= end; k += 4) {
            s0 += a[k];
            s1 += a[k + 1];
            s2 += a[k + 2];
            s3 += a[k + 3];
        }
        for (; k < end; k++) {
            s0 += a[k];
        }
        return (s0 + s1) + (s2 + s3);
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
        float[] o = ((FloatHeapValues) other).values;
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
    void channelMoments(int from, int c, int count, int length, double[] shift, double[] sums, double[] squares) {
        int j = c;
        for (; j + 4 <= c + count; j += 4) {
            moments4(from + (j - c) * length, length, shift, j, sums, squares);
        }
        super.channelMoments(from + (j - c) * length, j, c + count - j, length, shift, sums, squares);
    }

    /**
     * {@link #moments} of four channels' runs side by side: eight running sums, none waiting for another (one
     * channel's two sums are each a chain of dependent additions, which left the adder idle most of the time).
     * Each sum takes its values in the order of {@link #moments}, so the results are the same to the bit.
     */
    private void moments4(int from, int length, double[] shift, int j, double[] sums, double[] squares) {
        double h0 = shift[j];
        double h1 = shift[j + 1];
        double h2 = shift[j + 2];
        double h3 = shift[j + 3];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double q0 = 0;
        double q1 = 0;
        double q2 = 0;
        double q3 = 0;
        int a1 = from + length;
        int a2 = a1 + length;
        int a3 = a2 + length;
        for (int k = 0; k < length; k++) {
            double d0 = values[from + k] - h0;
            double d1 = values[a1 + k] - h1;
            double d2 = values[a2 + k] - h2;
            double d3 = values[a3 + k] - h3;
            s0 += d0;
            s1 += d1;
            s2 += d2;
            s3 += d3;
            q0 += d0 * d0;
            q1 += d1 * d1;
            q2 += d2 * d2;
            q3 += d3 * d3;
        }
        addFour(sums, j, s0, s1, s2, s3);
        addFour(squares, j, q0, q1, q2, q3);
    }

    private static void addFour(double[] to, int j, double a, double b, double c, double d) {
        to[j] += a;
        to[j + 1] += b;
        to[j + 2] += c;
        to[j + 3] += d;
    }

    @Override
    void channelSumsAndDots(int from, int c, int count, int length, HeapValues other, double[] sums,
                            double[] dots) {
        int j = c;
        for (; j + 4 <= c + count; j += 4) {
            sumsAndDots4(from + (j - c) * length, length, ((FloatHeapValues) other).values, j, sums, dots);
        }
        super.channelSumsAndDots(from + (j - c) * length, j, c + count - j, length, other, sums, dots);
    }

    /** {@link #sumAndDot} of four channels' runs side by side, as {@link #moments4}; the same to the bit. */
    private void sumsAndDots4(int from, int length, float[] o, int j, double[] sums, double[] dots) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        int a1 = from + length;
        int a2 = a1 + length;
        int a3 = a2 + length;
        for (int k = 0; k < length; k++) {
            float v0 = values[from + k];
            float v1 = values[a1 + k];
            float v2 = values[a2 + k];
            float v3 = values[a3 + k];
            s0 += v0;
            s1 += v1;
            s2 += v2;
            s3 += v3;
            // The products in float, as sumAndDot's values[k] * o[k].
            p0 += v0 * o[from + k];
            p1 += v1 * o[a1 + k];
            p2 += v2 * o[a2 + k];
            p3 += v3 * o[a3 + k];
        }
        addFour(sums, j, s0, s1, s2, s3);
        addFour(dots, j, p0, p1, p2, p3);
    }

    @Override
    void normalize(int from, double a, double c, double gamma, double beta, HeapValues normalized, HeapValues to,
                   int length) {
        float[] n = ((FloatHeapValues) normalized).values;
        float[] target = ((FloatHeapValues) to).values;
        float fa = (float) a;
        float fc = (float) c;
        float fg = (float) gamma;
        float fb = (float) beta;
        for (int k = from; k < from + length; k++) {
            float x = fa * values[k] + fc;
            n[k] = x;
            target[k] = fg * x + fb;
        }
    }

    @Override
    void fill(int from, int length, double value) {
        Arrays.fill(values, from, from + length, (float) value);
    }

    @Override
    void combine(int from, double a, HeapValues other, double b, double c, HeapValues to, int at, int length) {
        float[] target = ((FloatHeapValues) to).values;
        float fa = (float) a;
        float fb = (float) b;
        float fc = (float) c;
        if (other == null || b == 0) {
            for (int k = 0; k < length; k++) {
                target[at + k] = fa * values[from + k] + fc;
            }
        } else {
            float[] o = ((FloatHeapValues) other).values;
            for (int k = 0; k < length; k++) {
                target[at + k] = fa * values[from + k] + fb * o[from + k] + fc;
            }
        }
    }

    @Override
    void scatterAdd(int[] index, HeapValues from, int n) {
        float[] source = ((FloatHeapValues) from).values;
        for (int k = 0; k < n; k++) {
            values[index[k]] += source[k];
        }
    }

    @Override
    void scatterAddWherePositive(int[] index, HeapValues from, HeapValues mask, int n) {
        float[] source = ((FloatHeapValues) from).values;
        float[] m = ((FloatHeapValues) mask).values;
        for (int k = 0; k < n; k++) {
            values[index[k]] += kept(source[k], m[k]);
        }
    }

    @Override
    boolean scatterAddWherePositive(int[] index, INDArray from, INDArray mask, int n) {
        if (from.dataType() != DataType.FLOAT || mask.dataType() != DataType.FLOAT || !laidOutFromStart(from)
                || !laidOutFromStart(mask) || from.length() < n || mask.length() < n) {
            return false;
        }
        FloatBuffer source = from.data().asNioFloat();
        FloatBuffer m = mask.data().asNioFloat();
        for (int k = 0; k < n; k++) {
            values[index[k]] += kept(source.get(k), m.get(k));
        }
        return true;
    }
}
