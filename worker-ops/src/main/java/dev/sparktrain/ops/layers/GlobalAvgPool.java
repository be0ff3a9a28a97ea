package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.activations.Activation;
import dev.sparktrain.ops.config.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global average pooling: a C×H×W sample becomes the C channel means, y[n, c] = (1/HW) Σ_hw x[n, c, h, w];
 * backward spreads g[n, c]/HW over the channel's positions.
 */
public record GlobalAvgPool() implements LayerSpec {

    /** {@code global_avgpool}: no options. */
    public static final Kind<GlobalAvgPool> KIND = Kind.of("global_avgpool", o -> new GlobalAvgPool());

    @Override
    public String kind() {
        return "global_avgpool";
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("input " + input + " has rank " + input.rank()
                    + ", expected channels x height x width");
        }
        return new Shape(input.dim(0));
    }

    @Override
    public List<ParamShape> params(Shape input) {
        return List.of();
    }

    @Override
    public Optional<Activation> appliedActivation() {
        return Optional.empty();
    }

    @Override
    public List<MatrixProduct> forwardProducts(Shape input) {
        return List.of();
    }

    @Override
    public Layer build(Shape input, Map<String, INDArray> params, Map<String, INDArray> grads) {
        ActivationBuffer gradInputBuffer = new ActivationBuffer(input.dims());
        int area = Math.toIntExact(input.dim(1) * input.dim(2));
        return new Layer() {
            private HeapValues gradOutput;
            private HeapValues gradInput;
            private long batch = -1;

            @Override
            public INDArray forward(INDArray x, ForwardContext context) {
                batch = x.size(0);
                return x.mean(2, 3);
            }

            /**
             * Each channel's share g/HW written over its H·W positions, on the Java heap into a kept array: libnd4j's
             * broadcast and division made two fresh arrays of the input's size per step (docs/performance.md).
             */
            @Override
            public INDArray backward(INDArray g) {
                if (batch < 0) {
                    throw new IllegalStateException("global_avgpool: backward called before forward");
                }
                if (gradOutput == null || gradOutput.dataType() != g.dataType()) {
                    gradOutput = HeapValues.of(g.dataType());
                    gradInput = HeapValues.of(g.dataType());
                }
                gradOutput.load(g);
                INDArray dx = gradInputBuffer.get(batch, g.dataType());
                gradInput.ensure(HeapValues.length(dx));
                int planes = HeapValues.length(g);
                for (int p = 0; p < planes; p++) {
                    gradInput.fill(p * area, area, gradOutput.get(p) / area);
                }
                gradInput.store(dx);
                return dx;
            }
        };
    }
}
