package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.debug.GradientCheck;
import dev.sparktrain.ops.init.WeightInit;
import dev.sparktrain.ops.losses.MeanSquaredError;
import dev.sparktrain.ops.losses.SoftmaxCrossEntropy;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every layer kind inside a small network, checked against centred differences in double. */
class LayerGradientCheckTest {

    static final Shape IMAGE = new Shape(2, 6, 6);

    static void assertGradientsMatch(NetworkSpec spec, ForwardContext context) {
        INDArray params = spec.initialParameters(3, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(5);
        params.addi(Nd4j.rand(DataType.DOUBLE, params.length()).subi(0.5).muli(0.2)); // off zero biases
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, spec.input().size());
        INDArray labels = Nd4j.createFromArray(0.0, 2.0, 1.0);
        List<GradientCheck.TensorReport> reports = new GradientCheck(1e-6, 1e-7).check(spec, params, x, labels, 60,
                context);
        assertTrue(!reports.isEmpty());
        for (GradientCheck.TensorReport r : reports) {
            assertTrue(r.maxRelativeError() < 1e-5, spec.layers() + ": " + r);
        }
    }

    static Conv2d conv(int filters, int k, int stride, Padding padding, int dilation, boolean bias) {
        return new Conv2d(filters, Size2.square(k), Size2.square(stride), padding, Size2.square(dilation), bias,
                Activations.byName("tanh"), WeightInit.GLOROT_UNIFORM);
    }

    static NetworkSpec head(List<LayerSpec> body) {
        List<LayerSpec> layers = new java.util.ArrayList<>(body);
        layers.add(new Flatten());
        layers.add(new Dense(3, Activations.byName("identity")));
        return new NetworkSpec(IMAGE, layers, new SoftmaxCrossEntropy());
    }

    @Test
    void conv2dValidSameExplicitStrideDilationNoBias() {
        assertGradientsMatch(head(List.of(conv(3, 3, 1, Padding.VALID, 1, true))), ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(conv(3, 3, 2, Padding.SAME, 1, true))), ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(conv(2, 2, 2, Padding.explicit(1, 1), 1, false))), ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(conv(2, 2, 1, Padding.VALID, 2, true))), ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(new Conv2d(2, new Size2(3, 2), new Size2(1, 2), Padding.explicit(1, 0),
                Size2.square(1), true, Activations.byName("gelu"), WeightInit.HE_NORMAL))), ForwardContext.INFERENCE);
    }

    /**
     * The fused path (identity or ReLU applied while laying out the product) on odd sizes, strides that do not
     * divide the input, explicit and same padding, dilation and 1x1 kernels.
     */
    @Test
    void conv2dFusedPathOnOddSizes() {
        NetworkSpec odd = new NetworkSpec(new Shape(3, 7, 5), List.of(
                new Conv2d(4, new Size2(3, 2), new Size2(2, 1), Padding.SAME, Size2.square(1), true,
                        Activations.byName("identity"), WeightInit.GLOROT_UNIFORM),
                new Conv2d(2, Size2.square(2), Size2.square(1), Padding.explicit(2, 1), Size2.square(2), false,
                        Activations.byName("identity"), WeightInit.GLOROT_UNIFORM),
                new Conv2d(3, Size2.square(1), Size2.square(2), Padding.VALID, Size2.square(1), true,
                        Activations.byName("identity"), WeightInit.GLOROT_UNIFORM),
                new Flatten(), new Dense(3, Activations.byName("identity"))), new SoftmaxCrossEntropy());
        assertGradientsMatch(odd, ForwardContext.INFERENCE);
    }

    @Test
    void poolingWithOverlapPaddingAndOddSizes() {
        NetworkSpec odd = new NetworkSpec(new Shape(2, 7, 5), List.of(
                conv(2, 3, 1, Padding.SAME, 1, true),
                new Pool2d(true, Size2.square(3), Size2.square(2), Padding.SAME),
                new Pool2d(false, new Size2(2, 3), new Size2(1, 2), Padding.explicit(1, 1)),
                new Flatten(), new Dense(3, Activations.byName("identity"))), new SoftmaxCrossEntropy());
        assertGradientsMatch(odd, ForwardContext.INFERENCE);
    }

    @Test
    void pooling() {
        assertGradientsMatch(head(List.of(conv(2, 3, 1, Padding.SAME, 1, true), Pool2d.max(2))),
                ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(conv(2, 3, 1, Padding.SAME, 1, true), Pool2d.avg(2))),
                ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(new Pool2d(false, Size2.square(3), Size2.square(2), Padding.SAME))),
                ForwardContext.INFERENCE);
        assertGradientsMatch(head(List.of(conv(3, 3, 1, Padding.VALID, 1, true), new GlobalAvgPool())),
                ForwardContext.INFERENCE);
    }

    @Test
    void batchNormInTrainingAndInference() {
        NetworkSpec image = head(List.of(conv(2, 3, 1, Padding.SAME, 1, true), new BatchNorm(),
                new ActivationLayer(Activations.byName("silu"))));
        assertGradientsMatch(image, ForwardContext.training(9));
        assertGradientsMatch(image, ForwardContext.INFERENCE);
        NetworkSpec vector = new NetworkSpec(new Shape(4), List.of(new Dense(5, Activations.byName("identity")),
                new BatchNorm(0.8, 1e-3), new ActivationLayer(Activations.byName("tanh")),
                new Dense(3, Activations.byName("identity"))), new SoftmaxCrossEntropy());
        assertGradientsMatch(vector, ForwardContext.training(9));
    }

    @Test
    void dropoutWithAFixedSeed() {
        NetworkSpec spec = new NetworkSpec(new Shape(4), List.of(new Dense(6, Activations.byName("tanh")),
                new Dropout(0.4), new Dense(3, Activations.byName("identity"))), new SoftmaxCrossEntropy());
        assertGradientsMatch(spec, ForwardContext.training(21));
    }

    @Test
    void activationLayerAndRegressionHead() {
        NetworkSpec spec = new NetworkSpec(new Shape(4), List.of(new Dense(5, Activations.byName("identity")),
                new ActivationLayer(Activations.byName("mish")), new Dense(3, Activations.byName("softsign"))),
                new MeanSquaredError());
        INDArray params = spec.initialParameters(1, DataType.DOUBLE);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 4);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 3, 3);
        for (GradientCheck.TensorReport r : GradientCheck.defaults().check(spec, params, x, y, 50)) {
            assertTrue(r.maxRelativeError() < 1e-6, r.toString());
        }
    }
}
