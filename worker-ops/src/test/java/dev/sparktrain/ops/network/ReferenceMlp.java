package dev.sparktrain.ops.network;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A dense ReLU network with a softmax cross-entropy on class indices, forward and backward written out plainly in
 * double with allocating ND4J ops (z = x·W + b, relu, log-softmax, backprop): an independent reference for the
 * network's optimised training step.
 */
final class ReferenceMlp {

    record Step(double loss, INDArray gradient) {
    }

    private ReferenceMlp() {
    }

    /** Mean loss and flat gradient (double) of {@code spec} (dense layers: relu, ..., relu, identity). */
    static Step step(NetworkSpec spec, INDArray params, INDArray features, int[] classes) {
        int n = spec.layers().size();
        INDArray theta = params.castTo(DataType.DOUBLE);
        INDArray[] w = new INDArray[n];
        INDArray[] b = new INDArray[n];
        INDArray[] in = new INDArray[n];
        INDArray[] z = new INDArray[n];
        INDArray a = features.castTo(DataType.DOUBLE);
        for (int i = 0; i < n; i++) {
            w[i] = spec.layout().view(theta, spec.paramName(i, "W"));
            b[i] = spec.layout().view(theta, spec.paramName(i, "b"));
            in[i] = a;
            z[i] = a.mmul(w[i]).addRowVector(b[i]);
            a = i < n - 1 ? Transforms.relu(z[i], true) : z[i];
        }
        long batch = a.size(0);
        INDArray shifted = a.subColumnVector(a.max(1).reshape(batch, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        INDArray logP = shifted.subColumnVector(logSumExp);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, batch, a.size(1));
        double loss = 0;
        for (int r = 0; r < batch; r++) {
            oneHot.putScalar(r, classes[r], 1.0);
            loss -= logP.getDouble(r, classes[r]);
        }
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, params.length());
        INDArray dz = Transforms.exp(logP, true).sub(oneHot).div(batch);
        for (int i = n - 1; i >= 0; i--) {
            spec.layout().view(grad, spec.paramName(i, "W")).assign(in[i].transpose().mmul(dz));
            spec.layout().view(grad, spec.paramName(i, "b")).assign(dz.sum(0));
            if (i > 0) {
                dz = dz.mmul(w[i].transpose()).mul(z[i - 1].gt(0).castTo(DataType.DOUBLE));
            }
        }
        return new Step(loss / batch, grad);
    }
}
