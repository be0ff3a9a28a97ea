package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import dev.sparktrain.ops.runtime.PreparedOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link Dense}: one gemm, a bias add and the activation forward; the activation's derivative, two
 * gemms and a column sum backward. Every result goes into a {@link ActivationBuffer} of this layer or straight into the
 * gradient views, so a step allocates nothing while the batch size stays the same; the gemms, the bias add and the
 * column sums run as {@link PreparedOp}s.
 */
final class DenseLayer implements Layer {

    private final Activation activation;
    /** A linear layer (the usual logits layer) skips its activation: y is z and dz is dy, no copies. */
    private final boolean linear;
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray gradWeights;
    private final INDArray gradBias;
    private final ActivationBuffer preActivationBuffer;
    private final ActivationBuffer outputBuffer;
    private final ActivationBuffer gradPreActivationBuffer;
    private final ActivationBuffer gradInputBuffer;
    private final PreparedOp product = PreparedOp.matmul(false, false);
    private final PreparedOp addBias = PreparedOp.biasAdd();
    private final PreparedOp weightGradient = PreparedOp.matmul(true, false);
    private final PreparedOp biasGradient = PreparedOp.columnSums();
    private final PreparedOp inputGradient = PreparedOp.matmul(false, true);
    private INDArray input;
    private INDArray preActivation;
    private INDArray output;

    DenseLayer(Activation activation, INDArray weights, INDArray bias, INDArray gradWeights, INDArray gradBias) {
        this.activation = activation;
        this.linear = activation instanceof Identity;
        this.weights = weights;
        this.bias = bias;
        this.gradWeights = gradWeights;
        this.gradBias = gradBias;
        long in = weights.size(0);
        long out = weights.size(1);
        this.preActivationBuffer = new ActivationBuffer(out);
        this.outputBuffer = new ActivationBuffer(out);
        this.gradPreActivationBuffer = new ActivationBuffer(out);
        this.gradInputBuffer = new ActivationBuffer(in);
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        input = x;
        long batch = x.size(0);
        preActivation = preActivationBuffer.get(batch, weights.dataType());
        product.exec(preActivation, x, weights);
        // libnd4j's bias_add: one native op, ~2x cheaper than addiRowVector's broadcast at 64x256.
        addBias.exec(preActivation, preActivation, bias);
        if (linear) {
            output = preActivation;
        } else {
            output = outputBuffer.get(batch, weights.dataType());
            activation.forwardInto(preActivation, output);
        }
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray gradZ = paramGradients(gradOutput);
        // dx = dz·Wᵀ.
        INDArray gradInput = gradInputBuffer.get(gradZ.size(0), weights.dataType());
        inputGradient.exec(gradInput, gradZ, weights);
        return gradInput;
    }

    @Override
    public void backwardParamsOnly(INDArray gradOutput) {
        paramGradients(gradOutput);
    }

    /** dW = xᵀ·dz and db = column sums of dz, both straight into the gradient views; returns dz. */
    private INDArray paramGradients(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("dense: backward called before forward");
        }
        INDArray gradZ = gradOutput;
        if (!linear) {
            gradZ = gradPreActivationBuffer.get(gradOutput.size(0), weights.dataType());
            activation.backwardInto(preActivation, output, gradOutput, gradZ);
        }
        weightGradient.exec(gradWeights, input, gradZ);
        biasGradient.exec(gradBias, gradZ);
        return gradZ;
    }
}
