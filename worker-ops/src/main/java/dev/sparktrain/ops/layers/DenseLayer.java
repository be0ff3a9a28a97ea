package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The maths of {@link Dense}: one gemm forward, two gemms and a column sum backward. */
final class DenseLayer implements Layer {

    private final Activation activation;
    private final INDArray weights;
    private final INDArray bias;
    private final INDArray gradWeights;
    private final INDArray gradBias;
    private INDArray input;
    private INDArray preActivation;
    private INDArray output;

    DenseLayer(Activation activation, INDArray weights, INDArray bias, INDArray gradWeights, INDArray gradBias) {
        this.activation = activation;
        this.weights = weights;
        this.bias = bias;
        this.gradWeights = gradWeights;
        this.gradBias = gradBias;
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        input = x;
        preActivation = x.mmul(weights).addiRowVector(bias);
        output = activation.forward(preActivation);
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        // dx = dz·Wᵀ.
        return Nd4j.gemm(paramGradients(gradOutput), weights, false, true);
    }

    @Override
    public void backwardParamsOnly(INDArray gradOutput) {
        paramGradients(gradOutput);
    }

    /** dW = xᵀ·dz straight into the gradient view and db = column sums of dz; returns dz. */
    private INDArray paramGradients(INDArray gradOutput) {
        if (input == null) {
            throw new IllegalStateException("dense: backward called before forward");
        }
        INDArray gradZ = activation.backward(preActivation, output, gradOutput);
        Nd4j.gemm(input, gradZ, gradWeights, true, false, 1.0, 0.0);
        gradBias.assign(gradZ.sum(0));
        return gradZ;
    }
}
