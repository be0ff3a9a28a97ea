package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.params.NativeFloats;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean softmax cross-entropy on class indices, without smoothing or weights: the common case of
 * {@link SoftmaxCrossEntropy}, computed on the Java heap in double. With log-sum-exp taken on shifted logits,
 * ℓ_i = log Σ_c e^(x_ic − m_i) − (x_iy − m_i) and dL/dx_ic = (softmax(x_i)_c − [c = y_i]) / B. A classifier head
 * is small ([64, 10] for the Fashion MLP): one pass over it in Java takes a few microseconds, where the same maths
 * as ND4J ops is about twenty native calls (each a JNI round trip, most with a fresh allocation), ~200 µs.
 */
final class SoftmaxCrossEntropyOnIndices {

    private SoftmaxCrossEntropyOnIndices() {
    }

    /**
     * Mean loss and gradient for {@code [B, C]} logits and B validated class indices. Float32 logits laid out from
     * the start of their buffer are read in place, and the gradient is written into {@code reuse} when it is such an
     * array of the logits' shape: a training step then leaves no garbage here, native (which ND4J frees only after a
     * GC) or on the heap (vector-sized copies that brought a young GC every few seconds). Otherwise the logits are
     * copied and the gradient is a new array; the values are the same either way.
     */
    static LossResult mean(INDArray logits, int[] classes, INDArray reuse) {
        int batch = classes.length;
        int width = (int) logits.size(1);
        FloatBuffer floats = NativeFloats.startsItsBuffer(logits) ? logits.data().asNioFloat() : null;
        double[] copied = floats == null ? HeapValues.rowMajor(logits) : null;
        FloatBuffer into = reuse != null && logits.dataType() == DataType.FLOAT && NativeFloats.startsItsBuffer(reuse)
                && reuse.equalShapes(logits) ? reuse.data().asNioFloat() : null;
        double[] grad = into == null ? new double[batch * width] : null;
        double[] row = new double[width];
        double total = 0;
        for (int i = 0; i < batch; i++) {
            int start = i * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                row[c] = floats != null ? floats.get(start + c) : copied[start + c];
                max = Math.max(max, row[c]);
            }
            double shiftedTarget = row[classes[i]] - max;
            double sum = 0;
            for (int c = 0; c < width; c++) {
                row[c] = Math.exp(row[c] - max);
                sum += row[c];
            }
            total += Math.log(sum) - shiftedTarget;
            double scale = 1.0 / (sum * batch);
            for (int c = 0; c < width; c++) {
                double g = row[c] * scale;
                if (c == classes[i]) {
                    g -= 1.0 / batch;
                }
                if (into != null) {
                    into.put(start + c, (float) g);
                } else {
                    grad[start + c] = g;
                }
            }
        }
        INDArray gradient = into != null ? reuse
                : Nd4j.create(grad, new long[] {batch, width}, logits.dataType());
        return new LossResult(total / batch, gradient);
    }
}
