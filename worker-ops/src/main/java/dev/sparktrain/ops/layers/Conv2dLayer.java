package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.activations.Relu;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link Conv2d} as matrix products over the whole batch ({@link Patches}): forward, im2col into a
 * kept column matrix, one product W·cols, then one pass that adds the bias, applies ReLU (or identity) and writes
 * NCHW; backward, one pass that masks dLoss/dy by ReLU's derivative, sums the bias gradient and lays the result out
 * as the product's rows, then dW = dZ·colsᵀ, and (except for the network's first layer) dcols = Wᵀ·dZ and col2im.
 * Other activations run as their own op between the product and the layout pass. Every array is kept from pass to
 * pass (dcols reuses the column matrix, dZ the product's), and the products are libnd4j's matmul, prepared once.
 */
final class Conv2dLayer implements Layer {

    private final Activation activation;
    private final boolean relu;
    private final boolean fused;
    private final Patches patches;
    private final int filters;
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
    private final ActivationBuffer biasGradientBuffer;
    private final PreparedOp product = PreparedOp.matmul(false, false);
    private final PreparedOp weightGradient = PreparedOp.matmul(false, true);
    private final PreparedOp colsGradient = PreparedOp.matmul(true, false);
    private HeapValues inputValues;
    private HeapValues colsValues;
    private HeapValues productValues;
    private HeapValues outputValues;
    private HeapValues imageValues;
    private HeapValues biasValues;
    private INDArray input;
    private INDArray cols;
    private INDArray preActivation;
    private INDArray output;
    private int batch;

    Conv2dLayer(Conv2d spec, Shape inputShape, INDArray weights, INDArray bias, INDArray gradWeights,
                INDArray gradBias) {
        this.activation = spec.activation();
        this.relu = activation instanceof Relu;
        this.fused = relu || activation instanceof Identity;
        this.patches = Patches.of(spec.window(), inputShape);
        this.filters = spec.filters();
        this.weights = weights;
        this.bias = bias;
        this.gradWeights = gradWeights;
        this.gradBias = gradBias;
        int area = patches.outArea();
        this.colsBuffer = new ActivationBuffer((long) patches.patchLength() * area);
        this.productBuffer = new ActivationBuffer((long) filters * area);
        this.preActivationBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.outputBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.gradPreActivationBuffer = new ActivationBuffer(filters, patches.outHeight(), patches.outWidth());
        this.gradInputBuffer = new ActivationBuffer(inputShape.dims());
        this.weightGradientBuffer = new ActivationBuffer(patches.patchLength());
        this.biasGradientBuffer = new ActivationBuffer(filters);
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        DataType type = weights.dataType();
        if (inputValues == null || inputValues.dataType() != type) {
            inputValues = HeapValues.of(type);
            colsValues = HeapValues.of(type);
            productValues = HeapValues.of(type);
            outputValues = HeapValues.of(type);
            imageValues = HeapValues.of(type);
        }
        input = x;
        batch = Math.toIntExact(x.size(0));
        int columns = batch * patches.outArea();
        cols = colsBuffer.get(batch, type).reshape(patches.patchLength(), columns);
        inputValues.load(x);
        patches.im2col(inputValues, batch, colsValues.ensure(HeapValues.length(cols)));
        colsValues.store(cols);
        INDArray z = productBuffer.get(batch, type).reshape(filters, columns);
        product.exec(z, weights.reshape(filters, patches.patchLength()), cols);
        productValues.load(z);
        output = outputBuffer.get(batch, type);
        outputValues.ensure(HeapValues.length(output));
        layOut(productValues, outputValues, fused && relu);
        if (fused) {
            outputValues.store(output);
        } else {
            preActivation = preActivationBuffer.get(batch, type);
            outputValues.store(preActivation);
            activation.forwardInto(preActivation, output);
        }
        return output;
    }

    /** y[n, o, p] = z[o, n·P + p] + b[o], through max(0, ·) when {@code rectify}. */
    private void layOut(HeapValues z, HeapValues y, boolean rectify) {
        double[] b = biasValues(z.dataType());
        int area = patches.outArea();
        for (int o = 0; o < filters; o++) {
            double bo = b[o];
            int src = o * batch * area;
            for (int n = 0; n < batch; n++) {
                z.biasRun(src, bo, rectify, y, (n * filters + o) * area, area);
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
        INDArray gradZ = paramGradients(gradOutput);
        // dcols = Wᵀ·dZ into the column matrix (its values were used by dW above), then back to the image.
        colsGradient.exec(cols, weights.reshape(filters, patches.patchLength()), gradZ);
        colsValues.load(cols);
        INDArray gradInput = gradInputBuffer.get(batch, weights.dataType());
        int length = HeapValues.length(gradInput);
        imageValues.ensure(length).zero(0, length);
        patches.col2imAdd(colsValues, batch, imageValues);
        imageValues.store(gradInput);
        return gradInput;
    }

    @Override
    public void backwardParamsOnly(INDArray gradOutput) {
        paramGradients(gradOutput);
    }

    /** dW and db into the gradient views; returns dZ as {@code [filters, N·P]}. */
    private INDArray paramGradients(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("conv2d: backward called before forward");
        }
        DataType type = weights.dataType();
        INDArray g = gradOutput;
        if (!fused) {
            INDArray gz = gradPreActivationBuffer.get(batch, type);
            activation.backwardInto(preActivation, output, gradOutput, gz);
            g = gz;
        }
        HeapValues from = imageValues.load(g);
        boolean mask = fused && relu;
        int area = patches.outArea();
        INDArray gradZ = productBuffer.get(batch, type).reshape(filters, batch * area);
        HeapValues to = productValues.ensure(HeapValues.length(gradZ));
        double[] db = new double[filters];
        for (int o = 0; o < filters; o++) {
            int dst = o * batch * area;
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                sum += from.maskedRun((n * filters + o) * area, mask ? outputValues : null, to, dst, area);
                dst += area;
            }
            db[o] = sum;
        }
        to.store(gradZ);
        INDArray dW = weightGradientBuffer.get(filters, type);
        weightGradient.exec(dW, gradZ, cols);
        gradWeights.assign(dW.reshape(gradWeights.shape()));
        if (bias != null) {
            for (int o = 0; o < filters; o++) {
                biasValues.set(o, db[o]);
            }
            INDArray kept = biasGradientBuffer.get(1, type);
            biasValues.store(kept);
            gradBias.assign(kept.reshape(gradBias.shape()));
        }
        return gradZ;
    }
}
