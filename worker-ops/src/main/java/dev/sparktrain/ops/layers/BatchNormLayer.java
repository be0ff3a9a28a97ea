package dev.sparktrain.ops.layers;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link BatchNorm}. Per feature, over the N values of the batch (N = B, or B·H·W for images):
 * x̂ = (x − μ)·s with s = 1/√(σ² + ε); y = γx̂ + β. Backward in a training pass:
 * dβ = Σ g, dγ = Σ g·x̂, dx = (γs/N)·(N·g − dβ − x̂·dγ); in an inference pass μ, σ² are constants and
 * dx = γs·g. On Java-heap working copies ({@link HeapValues}), one channel's run of H·W values at a time: the
 * statistics in one pass (sums about the running mean, which keeps the variance's cancellation small; several
 * channels' runs side by side, whose sums are independent chains of additions), x̂ and y in a second; backward, the
 * two sums in one pass (channels side by side again) and dx in a second.
 */
final class BatchNormLayer implements Layer {

    private final BatchNorm spec;
    private final int channels;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray runningMean;
    private final INDArray runningVar;
    private final Map<String, INDArray> grads;
    private final ActivationBuffer outputBuffer;
    private final ActivationBuffer gradInputBuffer;
    private final ActivationBuffer channelBuffer;
    private HeapValues values;
    private HeapValues normalized;
    private HeapValues channelValues;
    private double[] scale;
    private double[] gammaValues;
    private boolean training;
    private int batch = -1;
    private int run;

    BatchNormLayer(BatchNorm spec, Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        this.spec = spec;
        this.channels = (int) input.dim(0);
        this.run = (int) (input.size() / channels);
        this.gamma = params.get("gamma");
        this.beta = params.get("beta");
        this.runningMean = params.get("running_mean");
        this.runningVar = params.get("running_var");
        this.grads = grads;
        this.outputBuffer = new ActivationBuffer(input.dims());
        this.gradInputBuffer = new ActivationBuffer(input.dims());
        this.channelBuffer = new ActivationBuffer(channels);
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        DataType type = gamma.dataType();
        if (values == null || values.dataType() != type) {
            values = HeapValues.of(type);
            normalized = HeapValues.of(type);
            channelValues = HeapValues.of(type);
        }
        training = context.training();
        batch = Math.toIntExact(x.size(0));
        values.load(x);
        double[] mean = channel(runningMean);
        double[] variance = channel(runningVar);
        if (training) {
            double[] shift = mean.clone();
            long n = (long) batch * run;
            double[] sums = new double[channels];
            double[] squares = new double[channels];
            for (int b = 0; b < batch; b++) {
                values.channelMoments(b * channels * run, 0, channels, run, shift, sums, squares);
            }
            for (int c = 0; c < channels; c++) {
                double centred = sums[c] / n;
                mean[c] = shift[c] + centred;
                variance[c] = Math.max(0, squares[c] / n - centred * centred);
            }
            updateRunning(mean, variance, n);
        }
        gammaValues = channel(gamma);
        double[] betaValues = channel(beta);
        scale = new double[channels];
        INDArray y = outputBuffer.get(batch, type);
        int length = HeapValues.length(y);
        normalized.ensure(length);
        for (int c = 0; c < channels; c++) {
            scale[c] = 1 / Math.sqrt(variance[c] + spec.epsilon());
        }
        HeapValues out = channelValues.ensure(length);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                values.normalize((b * channels + c) * run, scale[c], -mean[c] * scale[c], gammaValues[c],
                        betaValues[c], normalized, out, run);
            }
        }
        out.store(y);
        return y;
    }

    /** running = momentum·running + (1 − momentum)·batch, the variance unbiased (× n/(n − 1)). */
    private void updateRunning(double[] mean, double[] variance, long n) {
        double keep = spec.momentum();
        double[] runMean = channel(runningMean);
        double[] runVar = channel(runningVar);
        for (int c = 0; c < channels; c++) {
            runMean[c] = keep * runMean[c] + (1 - keep) * mean[c];
            runVar[c] = keep * runVar[c] + (1 - keep) * variance[c] * n / Math.max(1, n - 1);
        }
        write(runMean, runningMean);
        write(runVar, runningVar);
    }

    /** A per-channel tensor's values. */
    private double[] channel(INDArray v) {
        HeapValues h = HeapValues.of(v.dataType()).load(v);
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = h.get(c);
        }
        return out;
    }

    private void write(double[] v, INDArray target) {
        INDArray kept = channelBuffer.get(1, target.dataType());
        HeapValues h = HeapValues.of(target.dataType()).ensure(channels);
        for (int c = 0; c < channels; c++) {
            h.set(c, v[c]);
        }
        h.store(kept);
        target.assign(kept.reshape(target.shape()));
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (batch < 0) {
            throw new IllegalStateException("batchnorm: backward called before forward");
        }
        HeapValues g = values.load(gradOutput);
        double[] dBeta = new double[channels];
        double[] dGamma = new double[channels];
        for (int b = 0; b < batch; b++) {
            g.channelSumsAndDots(b * channels * run, 0, channels, run, normalized, dBeta, dGamma);
        }
        write(dBeta, grads.get("beta"));
        write(dGamma, grads.get("gamma"));
        grads.get("running_mean").assign(0);
        grads.get("running_var").assign(0);
        INDArray gradInput = gradInputBuffer.get(batch, gradOutput.dataType());
        HeapValues dx = channelValues.ensure(HeapValues.length(gradInput));
        double n = (double) batch * run;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < channels; c++) {
                int at = (b * channels + c) * run;
                double gs = gammaValues[c] * scale[c];
                if (training) {
                    // dx = γs·g − (γs/N)·dγ·x̂ − (γs/N)·dβ
                    g.combine(at, gs, normalized, -gs * dGamma[c] / n, -gs * dBeta[c] / n, dx, at, run);
                } else {
                    g.combine(at, gs, null, 0, 0, dx, at, run);
                }
            }
        }
        dx.store(gradInput);
        return gradInput;
    }
}
