package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.activations.Identity;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of {@link Residual}: forward runs the branch and the shortcut on the same input, adds them into a kept
 * array and applies the activation; backward takes the activation's derivative once and sends the result down both
 * paths, adding their input gradients. The branch's first layer and the projection's last (its convolution) skip
 * their input gradient when the block is the network's first layer.
 */
final class ResidualLayer implements Layer {

    private final List<Layer> branch;
    private final List<Layer> projection;
    private final Activation activation;
    private final boolean linear;
    private final ActivationBuffer sumBuffer;
    private final ActivationBuffer outputBuffer;
    private final ActivationBuffer gradSumBuffer;
    private final ActivationBuffer gradInputBuffer;
    private INDArray sum;
    private INDArray output;

    ResidualLayer(List<Layer> branch, List<Layer> projection, Activation activation, Shape inputShape,
                  Shape outputShape) {
        this.branch = List.copyOf(branch);
        this.projection = List.copyOf(projection);
        this.activation = activation;
        this.linear = activation instanceof Identity;
        this.sumBuffer = new ActivationBuffer(outputShape.dims());
        this.outputBuffer = new ActivationBuffer(outputShape.dims());
        this.gradSumBuffer = new ActivationBuffer(outputShape.dims());
        this.gradInputBuffer = new ActivationBuffer(inputShape.dims());
    }

    @Override
    public INDArray forward(INDArray x, ForwardContext context) {
        INDArray h = x;
        for (Layer layer : branch) {
            h = layer.forward(h, context);
        }
        INDArray s = x;
        for (Layer layer : projection) {
            s = layer.forward(s, context);
        }
        sum = sumBuffer.get(h.size(0), h.dataType());
        h.add(s, sum);
        if (linear) {
            output = sum;
        } else {
            output = outputBuffer.get(h.size(0), h.dataType());
            activation.forwardInto(sum, output);
        }
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return backward(gradOutput, true);
    }

    @Override
    public void backwardParamsOnly(INDArray gradOutput) {
        backward(gradOutput, false);
    }

    private INDArray backward(INDArray gradOutput, boolean inputGradient) {
        if (sum == null) {
            throw new IllegalStateException("residual: backward called before forward");
        }
        INDArray gradSum = gradOutput;
        if (!linear) {
            gradSum = gradSumBuffer.get(gradOutput.size(0), gradOutput.dataType());
            activation.backwardInto(sum, output, gradOutput, gradSum);
        }
        INDArray branchGrad = down(branch, gradSum, inputGradient);
        INDArray shortcutGrad = projection.isEmpty() ? gradSum : down(projection, gradSum, inputGradient);
        if (!inputGradient) {
            return null;
        }
        INDArray gradInput = gradInputBuffer.get(branchGrad.size(0), branchGrad.dataType());
        branchGrad.add(shortcutGrad, gradInput);
        return gradInput;
    }

    /** Backward through {@code layers} from the last; the first skips its input gradient unless it is needed. */
    private static INDArray down(List<Layer> layers, INDArray gradOutput, boolean inputGradient) {
        INDArray g = gradOutput;
        for (int i = layers.size() - 1; i > 0; i--) {
            g = layers.get(i).backward(g);
        }
        if (inputGradient) {
            return layers.get(0).backward(g);
        }
        layers.get(0).backwardParamsOnly(g);
        return null;
    }
}
