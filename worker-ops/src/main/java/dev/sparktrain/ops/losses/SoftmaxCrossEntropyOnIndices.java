package dev.sparktrain.ops.losses;

import dev.sparktrain.ops.params.NativeFloats;
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
     * Mean loss and gradient for {@code [B, C]} logits and B validated class indices. The gradient is written into
     * {@code reuse} when it is a plain float32 array of the logits' shape (no native allocation, which ND4J would
     * free only after a GC), else into a new array.
     */
    static LossResult mean(INDArray logits, int[] classes, INDArray reuse) {
        int batch = classes.length;
        int width = (int) logits.size(1);
        double[] x = HeapValues.rowMajor(logits);
        double[] grad = new double[x.length];
        double total = 0;
        for (int i = 0; i < batch; i++) {
            int row = i * width;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                max = Math.max(max, x[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                grad[row + c] = Math.exp(x[row + c] - max);
                sum += grad[row + c];
            }
            total += Math.log(sum) - (x[row + classes[i]] - max);
            double scale = 1.0 / (sum * batch);
            for (int c = 0; c < width; c++) {
                grad[row + c] *= scale;
            }
            grad[row + classes[i]] -= 1.0 / batch;
        }
        INDArray gradient;
        if (reuse != null && NativeFloats.isWholeBuffer(reuse) && reuse.equalShapes(logits)
                && logits.dataType() == DataType.FLOAT) {
            float[] values = new float[grad.length];
            for (int k = 0; k < grad.length; k++) {
                values[k] = (float) grad[k];
            }
            NativeFloats.copyInto(reuse, values);
            gradient = reuse;
        } else {
            gradient = Nd4j.create(grad, new long[] {batch, width}, logits.dataType());
        }
        return new LossResult(total / batch, gradient);
    }
}
