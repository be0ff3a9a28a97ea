package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import dev.sparktrain.ops.runtime.PreparedOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link Conv2d}. Float passes run on oneDNN's convolution primitives ({@link ConvPrimitives}, the default
 * {@link ConvBackend}) wherever they can take the arrays as they lie; the rest (double passes, which the gradient checks
 * run, and training batches beyond the byte budget below) as matrix products ({@link Patches}): forward, im2col into a kept column matrix, one
 * product W·cols, then one pass that adds the bias, applies ReLU (or identity) and writes NCHW; backward, one pass
 * that masks dLoss/dy by ReLU's derivative, sums the bias gradient and lays the result out as the product's rows, then
 * dWᵀ = cols·dZᵀ ({@link WeightGradientProduct}), and (except for the network's first layer) dcols = Wᵀ·dZ and
 * col2im. Other activations run as their own op between the product and the layout pass. Where a max-pool follows and
 * applies ReLU's derivative itself ({@link ReluDerivativeHandOff}), backward takes its gradient as dZ without a mask,
 * on both paths.
 *
 * <p>The column matrix is C·kH·kW times larger than the layer's input, so it is built for a chunk of the batch's
 * samples at a time, as many as fit a byte budget ({@link #COLUMN_BUDGET_BYTES}): an evaluation batch of thousands of
 * rows then keeps no larger a matrix than a training batch. A batch that fits (the examples' training batches do) is
 * one chunk, whose columns backward finds kept; with several chunks, backward builds each chunk's columns again and dW
 * is the sum of the chunks' products. Every array is kept from pass to pass (dcols reuses the column matrix, dZ the
 * product's) except the column matrix's Java-heap copy, which lives only within a call and is the thread's
 * {@linkplain HeapValues#scratch scratch}; the products are libnd4j's matmul, prepared once (a thin weight gradient
 * OpenBLAS's gemm).
 */
final class Conv2dLayer implements Layer {

    /** The most bytes a layer's column matrix (and the heap copy it is built in) holds, unless one sample needs more. */
    static final long COLUMN_BUDGET_BYTES = 32L << 20;

    private final Activation activation;
    private final boolean relu;
    private final boolean fused;
    private final Patches patches;
    private final int filters;
    private final long columnBudgetBytes;
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray gradWeights;
    private final INDArray gradBias;
    private final ActivationBuffer colsBuffer;
    private final ActivationBuffer productBuffer;
    private final ActivationBuffer preActivationBuffer;
    private final ActivationBuffer outputBuffer;
    private final ActivationBuffer gradPreActivationBuffer;
    private final ActivationBuffer gradInputBuffer;
    private final ActivationBuffer weightGradientBuffer;
    private final ActivationBuffer weightGradientChunkBuffer;
    private final ActivationBuffer biasGradientBuffer;
    private final PreparedOp product = PreparedOp.matmul(false, false);
    private final WeightGradientProduct weightGradient = new WeightGradientProduct();
    private final PreparedOp colsGradient = PreparedOp.matmul(true, false);
    /** oneDNN's primitives for float passes, or null where this layer keeps to its own path. */
    private final ConvPrimitives oneDnn;
    /** Whether the last forward pass ran on {@link #oneDnn} (backward then does too). */
    private boolean ranOneDnn;
    private HeapValues inputValues;
    private HeapValues productValues;
    private HeapValues outputValues;
    private HeapValues gradOutputValues;
    private HeapValues imageValues;
    private HeapValues biasValues;
    private INDArray input;
    private INDArray preActivation;
    private INDArray output;
    private int batch;
    /** Samples per chunk in the last forward pass. */
    private int chunk;
    /** The column matrix of samples {@code colsFirst} .. colsFirst + colsCount − 1, or dcols when colsFirst is −1. */
    private INDArray cols;
    private int colsFirst = -1;
    private int colsCount;
    /** Whether the layer after this one applies ReLU's derivative, so backward takes dLoss/dz. */
    private boolean reluDerivativeHandedOff;

    Conv2dLayer(Conv2d spec, Shape inputShape, INDArray weights, INDArray bias, INDArray gradWeights,
                INDArray gradBias) {
        this(spec, inputShape, weights, bias, gradWeights, gradBias, COLUMN_BUDGET_BYTES, ConvBackend.ONEDNN);
    }

    /**
     * With another budget for the column matrix (tests make batches of several chunks with a small one) and another
     * backend for float passes (tests and benchmarks compare them).
     */
    Conv2dLayer(Conv2d spec, Shape inputShape, INDArray weights, INDArray bias, INDArray gradWeights,
                INDArray gradBias, long columnBudgetBytes, ConvBackend backend) {
        this.activation = spec.activation();
        this.relu = activation instanceof Relu;
        this.fused = relu || activation instanceof Identity;
        this.patches = Patches.of(spec.window(), inputShape);
        this.filters = spec.filters();
        this.columnBudgetBytes = columnBudgetBytes;
        this.weights = weights;
        this.bias = bias;
        this.gradWeights = gradWeights;
        this.gradBias = gradBias;
        int area = patches.outArea();
        this.colsBuffer = new ActivationBuffer(patches.columnValuesPerSample());
        this.productBuffer = new ActivationBuffer((long) filters * area);
        this.preActivationBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.outputBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.gradPreActivationBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.gradInputBuffer = new ActivationBuffer(inputShape.dims());
        this.weightGradientBuffer = new ActivationBuffer(filters);
        this.weightGradientChunkBuffer = new ActivationBuffer(filters);
        this.biasGradientBuffer = new ActivationBuffer(filters);
        this.oneDnn = backend == ConvBackend.COLUMNS ? null : new ConvPrimitives(patches, filters, bias != null,
                fused && relu, backend.layout(patches.channels()), columnBudgetBytes);
    }

    /** Samples per chunk for a batch of {@code rows}: as many as the budget holds, at least one, at most the batch. */
    static int chunkSamples(long budgetBytes, long valuesPerSample, DataType type, int rows) {
        long fit = budgetBytes / (valuesPerSample * type.width());
        return (int) Math.max(1, Math.min(rows, fit));
    }

    /** The bytes of the native column matrix this layer keeps (for the tests of its bound). */
    long keptColumnBytes() {
        return colsBuffer.keptBytes();
    }

    /** Whether the last forward pass ran on oneDNN's primitives (for the tests of both paths). */
    boolean ranOneDnn() {
        return ranOneDnn;
    }

    @Override
    public boolean canHandOffReluDerivative() {
        return fused && relu;
    }

    @Override
    public void handOffReluDerivative() {
        if (!canHandOffReluDerivative()) {
            throw new IllegalStateException("conv2d: no fused ReLU whose derivative could be handed off");
        }
        reluDerivativeHandedOff = true;
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        DataType type = weights.dataType();
        if (inputValues == null || inputValues.dataType() != type) {
            inputValues = HeapValues.of(type);
            productValues = HeapValues.of(type);
            outputValues = HeapValues.of(type);
            gradOutputValues = HeapValues.of(type);
            imageValues = HeapValues.of(type);
        }
        input = x;
        batch = Math.toIntExact(x.size(0));
        ranOneDnn = type == DataType.FLOAT && oneDnn != null
                && oneDnn.accepts(batch, context.training(), x, weights, bias, gradWeights, gradBias);
        if (ranOneDnn) {
            return forwardOneDnn(x);
        }
        chunk = chunkSamples(columnBudgetBytes, patches.columnValuesPerSample(), type, batch);
        inputValues.load(x);
        colsFirst = -1;
        output = outputBuffer.get(batch, type);
        outputValues.ensure(HeapValues.length(output));
        double[] b = biasValues(type);
        INDArray w = weights.reshape(filters, patches.patchLength());
        for (int first = 0; first < batch; first += chunk) {
            int n = Math.min(chunk, batch - first);
            INDArray z = productBuffer.get(n, type).reshape(filters, (long) n * patches.outArea());
            product.exec(z, w, columns(first, n, type));
            productValues.load(z);
            layOut(productValues, b, first, n, fused && relu, outputValues);
        }
        if (fused) {
            outputValues.store(output);
        } else {
            preActivation = preActivationBuffer.get(batch, type);
            outputValues.store(preActivation);
            activation.forwardInto(preActivation, output);
        }
        return output;
    }

    private INDArray forwardOneDnn(INDArray x) {
        output = outputBuffer.get(batch, DataType.FLOAT);
        if (fused) {
            oneDnn.forward(x, weights, bias, output);
        } else {
            preActivation = preActivationBuffer.get(batch, DataType.FLOAT);
            oneDnn.forward(x, weights, bias, preActivation);
            activation.forwardInto(preActivation, output);
        }
        return output;
    }

    private INDArray backwardOneDnn(INDArray gradOutput, boolean inputGradient) {
        INDArray dy = plainCopy(gradOutput);
        INDArray gz = dy;
        if (!fused) {
            gz = gradPreActivationBuffer.get(batch, DataType.FLOAT);
            activation.backwardInto(preActivation, output, gradOutput, gz);
        } else if (relu && !reluDerivativeHandedOff) {
            gz = gradPreActivationBuffer.get(batch, DataType.FLOAT);
        }
        INDArray gradInput = inputGradient ? gradInputBuffer.get(batch, DataType.FLOAT) : null;
        oneDnn.backward(input, output, dy, gz, weights, gradWeights, gradBias, gradInput);
        return gradInput;
    }

    private static INDArray plainCopy(INDArray a) {
        return OneDnnBuilder.plain(a) ? a : a.dup('c');
    }

    /** im2col of samples {@code first} .. first + n − 1 of the last forward input into the kept column matrix. */
    private INDArray columns(int first, int n, DataType type) {
        if (colsFirst == first && colsCount == n) {
            return cols;
        }
        cols = colsBuffer.get(n, type).reshape(patches.patchLength(), (long) n * patches.outArea());
        HeapValues colsValues = HeapValues.scratch(type).ensure(HeapValues.length(cols));
        patches.im2col(inputValues, first, n, colsValues);
        colsValues.store(cols);
        colsFirst = first;
        colsCount = n;
        return cols;
    }

    /** y[first + s, o, p] = z[o, s·P + p] + b[o] for the chunk's n samples, through max(0, ·) when {@code rectify}. */
    private void layOut(HeapValues z, double[] b, int first, int n, boolean rectify, HeapValues y) {
        int area = patches.outArea();
        for (int o = 0; o < filters; o++) {
            double bo = b[o];
            int src = o * n * area;
            for (int s = 0; s < n; s++) {
                z.biasRun(src, bo, rectify, y, ((first + s) * filters + o) * area, area);
                src += area;
            }
        }
    }

    private double[] biasValues(DataType type) {
        double[] b = new double[filters];
        if (bias != null) {
            if (biasValues == null || biasValues.dataType() != type) {
                biasValues = HeapValues.of(type);
            }
            biasValues.load(bias);
            for (int o = 0; o < filters; o++) {
                b[o] = biasValues.get(o);
            }
        }
        return b;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public void backwardParamsOnly(INDArray gradOutput) {
        backward(gradOutput, false);
    }

    /** dW and db into the gradient views, chunk by chunk as forward went; dLoss/dx when {@code inputGradient}. */
    private INDArray backward(INDArray gradOutput, boolean inputGradient) {
        if (input == null) {
            throw new IllegalStateException("conv2d: backward called before forward");
        }
        if (ranOneDnn) {
            return backwardOneDnn(gradOutput, inputGradient);
        }
        DataType type = weights.dataType();
        INDArray g = gradOutput;
        if (!fused) {
            INDArray gz = gradPreActivationBuffer.get(batch, type);
            activation.backwardInto(preActivation, output, gradOutput, gz);
            g = gz;
        }
        HeapValues from = gradOutputValues.load(g);
        if (inputGradient) {
            imageValues.ensure(HeapValues.length(input)).zero(0, HeapValues.length(input));
        }
        INDArray w = weights.reshape(filters, patches.patchLength());
        INDArray dWt = weightGradientBuffer.get(patches.patchLength(), type);
        double[] db = new double[filters];
        for (int first = 0; first < batch; first += chunk) {
            int n = Math.min(chunk, batch - first);
            INDArray chunkCols = columns(first, n, type);
            INDArray gradZ = productGradient(from, first, n, db, type);
            if (first == 0) {
                weightGradient.exec(dWt, chunkCols, gradZ);
            } else {
                INDArray part = weightGradientChunkBuffer.get(patches.patchLength(), type);
                weightGradient.exec(part, chunkCols, gradZ);
                dWt.addi(part);
            }
            if (inputGradient) {
                // dcols = Wᵀ·dZ into the column matrix (its values were used by dW above), then back to the image.
                colsGradient.exec(chunkCols, w, gradZ);
                colsFirst = -1;
                patches.col2imAdd(HeapValues.scratch(type).load(chunkCols), first, n, imageValues);
            }
        }
        INDArray matrix = gradWeights.reshape(filters, patches.patchLength());
        if (matrix.data() == gradWeights.data()) {
            matrix.assign(dWt.transpose());
        } else {
            // Not a view (a gradient array that is not row-major and contiguous): through a row-major copy.
            gradWeights.assign(dWt.transpose().dup('c').reshape(gradWeights.shape()));
        }
        if (bias != null) {
            for (int o = 0; o < filters; o++) {
                biasValues.set(o, db[o]);
            }
            INDArray kept = biasGradientBuffer.get(1, type);
            biasValues.store(kept);
            gradBias.assign(kept.reshape(gradBias.shape()));
        }
        if (!inputGradient) {
            return null;
        }
        INDArray gradInput = gradInputBuffer.get(batch, type);
        imageValues.store(gradInput);
        return gradInput;
    }

    /**
     * dZ of the chunk's n samples as {@code [filters, n·P]} (dLoss/dy masked by ReLU's derivative when fused, unless
     * the next layer did), adding each output channel's sum into {@code db}.
     */
    private INDArray productGradient(HeapValues from, int first, int n, double[] db, DataType type) {
        boolean mask = fused && relu && !reluDerivativeHandedOff;
        int area = patches.outArea();
        INDArray gradZ = productBuffer.get(n, type).reshape(filters, (long) n * area);
        HeapValues to = productValues.ensure(HeapValues.length(gradZ));
        for (int o = 0; o < filters; o++) {
            int dst = o * n * area;
            for (int s = 0; s < n; s++) {
                db[o] += from.maskedRun(((first + s) * filters + o) * area, mask ? outputValues : null, to, dst, area);
                dst += area;
            }
        }
        to.store(gradZ);
        return gradZ;
    }
}
