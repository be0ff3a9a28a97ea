package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.params.NativeFloats.laidOutFromStart;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link HeapValues} for float64 values: what gradient checks use. */
final class DoubleHeapValues extends HeapValues {
    private double[] values = new double[0];

    @Override
    DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    int capacity() {
        return values.length;
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
        double[] copy = a.dataType() == DataType.DOUBLE && laidOutFromStart(a) ? null
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
        if (a.dataType() == DataType.DOUBLE && laidOutFromStart(a)) {
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
        double[] target = ((DoubleHeapValues) to).values;
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
        double[] target = ((DoubleHeapValues) to).values;
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
        double[] target = ((DoubleHeapValues) to).values;
        for (int k = 0; k < length; k++) {
            double v = values[from + k] + bias;
            target[at + k] = rectify ? Math.max(0, v) : v;
        }
    }

    @Override
    double maskedRun(int from, HeapValues mask, HeapValues to, int at, int length) {
        double[] target = ((DoubleHeapValues) to).values;
        double[] m = mask == null ? null : ((DoubleHeapValues) mask).values;
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
        double[] o = ((DoubleHeapValues) other).values;
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
        double[] target = ((DoubleHeapValues) to).values;
        double fa = (double) a;
        double fb = (double) b;
        double fc = (double) c;
        if (other == null || b == 0) {
            for (int k = 0; k < length; k++) {
                target[at + k] = fa * values[from + k] + fc;
            }
        } else {
            double[] o = ((DoubleHeapValues) other).values;
            for (int k = 0; k < length; k++) {
                target[at + k] = fa * values[from + k] + fb * o[from + k] + fc;
            }
        }
    }

    @Override
    void normalize(int from, double a, double c, double gamma, double beta, HeapValues normalized, HeapValues to,
                   int length) {
        combine(from, a, null, 0, c, normalized, from, length);
        normalized.combine(from, gamma, null, 0, beta, to, from, length);
    }

    @Override
    void fill(int from, int length, double value) {
        Arrays.fill(values, from, from + length, value);
    }

    @Override
    void scatterAdd(int[] index, HeapValues from, int n) {
        double[] source = ((DoubleHeapValues) from).values;
        for (int k = 0; k < n; k++) {
            values[index[k]] += source[k];
        }
    }

    @Override
    void scatterAddWherePositive(int[] index, HeapValues from, HeapValues mask, int n) {
        double[] source = ((DoubleHeapValues) from).values;
        double[] m = ((DoubleHeapValues) mask).values;
        for (int k = 0; k < n; k++) {
            values[index[k]] += m[k] > 0 ? source[k] : 0;
        }
    }

    @Override
    boolean scatterAddWherePositive(int[] index, INDArray from, INDArray mask, int n) {
        return false; // Gradient checks' passes: the copies cost nothing that matters.
    }
}
