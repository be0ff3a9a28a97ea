package dev.sparktrain.ops.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link Pool2d}. Float forward passes on arrays oneDNN can read as they lie run on its pooling
 * primitives ({@link OneDnnPooling}, one set per batch size), and so does average pooling's backward; the rest (double
 * passes, which the gradient checks run) in one pass over each image plane on the Java heap. Max pooling keeps, for
 * every output, the input position of its maximum (the first one of equal values; on oneDNN, read from its workspace),
 * so backward is one scatter of dLoss/dy into a zeroed dLoss/dx on the heap, which beats oneDNN's backward on NCHW
 * arrays (docs/performance.md); average pooling divides by the number of window positions inside the image both ways.
 * After a layer whose output is ReLU's, max pooling's scatter also applies ReLU's derivative ({@link
 * ReluDerivativeHandOff}): a window whose output is not positive adds +0.
 */
final class Pool2dLayer implements Layer {

    private final boolean max;
    private final Patches patches;
    /** oneDNN's primitives for float passes, or null where this layer keeps to its own path. */
    private final PrimitivesByBatch<OneDnnPooling> oneDnn;
    /** The primitives the last forward pass ran on (backward then does too), or null. */
    private OneDnnPooling ranOneDnn;
    private final ActivationBuffer outputBuffer;
    private final ActivationBuffer gradInputBuffer;
    private HeapValues in;
    private HeapValues out;
    /** Whether backward applies ReLU's derivative of the layer before ({@link ReluDerivativeHandOff}). */
    private boolean reluDerivative;
    /** The last forward pass's output, and its values on the heap for backward when it applies ReLU's derivative. */
    private INDArray output;
    private HeapValues outputValues;
    /** Max pooling: the flat input index of each output's maximum, from the last forward pass. */
    private int[] argmax = new int[0];
    private int batch = -1;

    Pool2dLayer(Pool2d spec, Shape input) {
        this(spec, input, true);
    }

    /** With or without oneDNN for float passes (tests and benchmarks compare the two). */
    Pool2dLayer(Pool2d spec, Shape input, boolean useOneDnn) {
        this.max = spec.max();
        this.patches = Patches.of(spec.window(), input);
        this.outputBuffer = new ActivationBuffer(input.dim(0), patches.outHeight(), patches.outWidth());
        this.gradInputBuffer = new ActivationBuffer(input.dims());
        this.oneDnn = useOneDnn ? new PrimitivesByBatch<>(rows -> OneDnnPooling.create(patches, max, rows)) : null;
    }

    /** Whether the last forward pass ran on oneDNN's primitives (for the tests of both paths). */
    boolean ranOneDnn() {
        return ranOneDnn != null;
    }

    @Override
    public boolean canTakeReluDerivative() {
        return max;
    }

    @Override
    public void takeReluDerivative() {
        if (!max) {
            throw new IllegalStateException("avgpool2d: spreads its gradient over whole windows, cannot apply ReLU's"
                    + " derivative of its input");
        }
        reluDerivative = true;
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        DataType type = x.dataType();
        batch = Math.toIntExact(x.size(0));
        if (in == null || in.dataType() != type) {
            in = HeapValues.of(type);
            out = HeapValues.of(type);
            outputValues = HeapValues.of(type);
        }
        INDArray y = outputBuffer.get(batch, type);
        output = y;
        int outputs = HeapValues.length(y);
        if (max && argmax.length < outputs) {
            argmax = new int[outputs];
        }
        ranOneDnn = type == DataType.FLOAT && oneDnn != null && OneDnnBuilder.plain(x) ? oneDnn.get(batch) : null;
        if (ranOneDnn != null) {
            ranOneDnn.forward(x, y);
            return y;
        }
        in.load(x);
        out.ensure(outputs);
        walk(false);
        out.store(y);
        return y;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (batch < 0) {
            throw new IllegalStateException((max ? "maxpool2d" : "avgpool2d") + ": backward called before forward");
        }
        if (ranOneDnn != null && max) {
            // The scatter below, from the maxima oneDNN's forward found.
            ranOneDnn.maxima(argmax);
        } else if (ranOneDnn != null) {
            INDArray gradInput = gradInputBuffer.get(batch, DataType.FLOAT);
            ranOneDnn.backward(OneDnnBuilder.plain(gradOutput) ? gradOutput : gradOutput.dup('c'), gradInput);
            return gradInput;
        }
        INDArray gradInput = gradInputBuffer.get(batch, gradOutput.dataType());
        int length = HeapValues.length(gradInput);
        in.ensure(length).zero(0, length);
        int n = HeapValues.length(gradOutput);
        if (max && reluDerivative) {
            // A window's output is its maximum, ReLU's output where the gradient goes.
            if (!in.scatterAddWherePositive(argmax, gradOutput, output, n)) {
                in.scatterAddWherePositive(argmax, out.load(gradOutput), outputValues.load(output), n);
            }
        } else if (max) {
            in.scatterAdd(argmax, out.load(gradOutput), n);
        } else {
            out.load(gradOutput);
            walk(true);
        }
        in.store(gradInput);
        return gradInput;
    }

    /** Forward: out from in (and argmax); backward (average only): in += out spread over each window. */
    private void walk(boolean backward) {
        Window w = patches.window();
        int kh = w.kernel().h();
        int kw = w.kernel().w();
        int sh = w.stride().h();
        int sw = w.stride().w();
        int height = patches.height();
        int width = patches.width();
        int planes = batch * patches.channels();
        int k = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * height * width;
            for (int y = 0; y < patches.outHeight(); y++) {
                int top = y * sh - patches.padTop();
                int rowFrom = Math.max(0, top);
                int rowTo = Math.min(height, top + kh);
                for (int x = 0; x < patches.outWidth(); x++, k++) {
                    int left = x * sw - patches.padLeft();
                    int colFrom = Math.max(0, left);
                    int colTo = Math.min(width, left + kw);
                    if (max) {
                        int rows = rowTo - rowFrom;
                        int columns = colTo - colFrom;
                        int at = base + rowFrom * width + colFrom;
                        int best = rows == 2 && columns == 2 ? in.argmax2x2(at, width)
                                : in.argmax(at, rows, columns, width);
                        out.set(k, in.get(best));
                        argmax[k] = best;
                    } else {
                        double count = (double) (rowTo - rowFrom) * (colTo - colFrom);
                        double share = backward ? out.get(k) / count : 0;
                        double sum = 0;
                        for (int r = rowFrom; r < rowTo; r++) {
                            for (int c = colFrom, at = base + r * width + colFrom; c < colTo; c++, at++) {
                                if (backward) {
                                    in.set(at, in.get(at) + share);
                                } else {
                                    sum += in.get(at);
                                }
                            }
                        }
                        if (!backward) {
                            out.set(k, sum / count);
                        }
                    }
                }
            }
        }
    }
}
