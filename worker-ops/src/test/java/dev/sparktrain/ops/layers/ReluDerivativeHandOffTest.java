package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A convolution with fused ReLU followed by max pooling hands ReLU's derivative to the pool: the convolution's
 * gradients are then bitwise those of the two layers each doing their own part, on oneDNN and on the columns path, in
 * float and double, with windows whose values are all zero after ReLU, ties among positive values, overlapping
 * windows and signed zeros in the incoming gradient. Only that pair is arranged, and the networks' gradients still
 * match centred differences.
 */
class ReluDerivativeHandOffTest {

    private static final Shape INPUT = new Shape(2, 10, 10);

    static Stream<Arguments> paths() {
        return Stream.of(ConvBackend.ONEDNN, ConvBackend.COLUMNS).flatMap(backend -> Stream.of(DataType.FLOAT,
                DataType.DOUBLE).flatMap(type -> Stream.of(
                        Arguments.of(backend, type, Pool2d.max(2)),
                        Arguments.of(backend, type, new Pool2d(true, Size2.square(3), Size2.square(2), Padding.SAME)))));
    }

    /** A convolution and a max-pool bound to their own gradient arrays. */
    private record Pair(Conv2dLayer conv, Pool2dLayer pool, INDArray gradWeights, INDArray gradBias) {

        static Pair of(Conv2d spec, Pool2d poolSpec, INDArray w, INDArray b, ConvBackend backend) {
            INDArray gw = w.like();
            INDArray gb = b.like();
            Conv2dLayer conv = new Conv2dLayer(spec, INPUT, w, b, gw, gb, Conv2dLayer.COLUMN_BUDGET_BYTES, backend);
            return new Pair(conv, new Pool2dLayer(poolSpec, spec.outputShape(INPUT), backend != ConvBackend.COLUMNS),
                    gw, gb);
        }

        INDArray forward(INDArray x) {
            return pool.forward(conv.forward(x, ForwardContext.training(1)), ForwardContext.training(1));
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void theHandedOffDerivativeGivesTheSeparateLayersGradientsToTheBit(ConvBackend backend, DataType type,
                                                                        Pool2d poolSpec) {
        Conv2d spec = new Conv2d(4, Size2.square(3), Size2.square(1), Padding.VALID, Size2.square(1), true,
                Activations.byName("relu"), WeightInit.HE_NORMAL);
        Nd4j.getRandom().setSeed(11);
        INDArray w = Nd4j.randn(type, 4, 2, 3, 3);
        // Filter 0's output is all zero after ReLU (every window's maximum is 0), filter 1's mostly positive.
        INDArray b = Nd4j.createFromArray(-100.0, 3.0, 0.0, 0.1).castTo(type);
        INDArray x = Nd4j.randn(type, 5, 2, 10, 10);
        // A constant sample: every window ties among equal values, positive ones where the filter's output is.
        x.get(NDArrayIndex.point(0)).assign(1.0);
        Pair separate = Pair.of(spec, poolSpec, w, b, backend);
        Pair handedOff = Pair.of(spec, poolSpec, w, b, backend);
        assertEquals(1, ReluDerivativeHandOff.arrange(List.of(handedOff.conv(), handedOff.pool())));

        INDArray y = separate.forward(x).dup();
        assertBitwise(y, handedOff.forward(x));
        assertEquals(backend != ConvBackend.COLUMNS && type == DataType.FLOAT, separate.conv().ranOneDnn());
        INDArray g = Nd4j.randn(type, y.shape());
        g.putScalar(new long[] {1, 0, 0, 0}, -0.0);
        g.putScalar(new long[] {1, 1, 0, 0}, -0.0);

        INDArray gradPool = separate.pool().backward(g).dup();
        INDArray dx = separate.conv().backward(gradPool).dup();
        INDArray fusedGradPool = handedOff.pool().backward(g).dup();
        INDArray fusedDx = handedOff.conv().backward(fusedGradPool);
        // dLoss/dy as a view that does not start its buffer: read through heap copies instead of where it lies.
        INDArray padded = Nd4j.zeros(type, y.size(0) + 1, y.size(1), y.size(2), y.size(3));
        INDArray view = padded.get(NDArrayIndex.interval(1, y.size(0) + 1));
        view.assign(g);
        assertBitwise(fusedGradPool, handedOff.pool().backward(view));

        assertBitwise(dx, fusedDx);
        assertBitwise(separate.gradWeights(), handedOff.gradWeights());
        assertBitwise(separate.gradBias(), handedOff.gradBias());
        // The pool now returns dLoss/dz: +0 wherever ReLU's output is not positive, though windows of zeros had a
        // gradient to pass on.
        double[] convOut = separate.conv().forward(x, ForwardContext.training(1)).dup().data().asDouble();
        double[] before = gradPool.data().asDouble();
        double[] after = fusedGradPool.data().asDouble();
        int masked = 0;
        for (int i = 0; i < convOut.length; i++) {
            if (convOut[i] > 0) {
                assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(after[i]));
            } else {
                assertEquals(0L, Double.doubleToRawLongBits(after[i]), "at " + i);
                masked += before[i] != 0 ? 1 : 0;
            }
        }
        assertTrue(masked > 20, "windows of zeros with a gradient: " + masked);
    }

    private static void assertBitwise(INDArray expected, INDArray actual) {
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
                throw new AssertionError("at " + i + ": expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    @Test
    void onlyAConvolutionWithFusedReluFollowedByMaxPoolingHandsOff() {
        Shape out = new Shape(4, 8, 8);
        assertEquals(1, arranged(conv("relu"), maxPool(out)));
        assertEquals(0, arranged(conv("relu"), new Pool2dLayer(Pool2d.avg(2), out)));
        assertEquals(0, arranged(conv("tanh"), maxPool(out)));
        assertEquals(0, arranged(conv("leaky_relu"), maxPool(out)));
        assertEquals(0, arranged(maxPool(INPUT), conv("relu")));
        assertEquals(2, arranged(conv("relu"), maxPool(out), conv("relu"), maxPool(out)));
        assertThrows(IllegalStateException.class, () -> conv("tanh").handOffReluDerivative());
        assertThrows(IllegalStateException.class, () -> new Pool2dLayer(Pool2d.avg(2), out).takeReluDerivative());
    }

    private static int arranged(Layer... layers) {
        return ReluDerivativeHandOff.arrange(List.of(layers));
    }

    private static Conv2dLayer conv(String activation) {
        Conv2d spec = new Conv2d(4, Size2.square(3), Size2.square(1), Padding.VALID, Size2.square(1), true,
                Activations.byName(activation), WeightInit.HE_NORMAL);
        INDArray w = Nd4j.zeros(DataType.FLOAT, 4, 2, 3, 3);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 4);
        return new Conv2dLayer(spec, INPUT, w, b, w.like(), b.like());
    }

    private static Pool2dLayer maxPool(Shape input) {
        return new Pool2dLayer(Pool2d.max(2), input);
    }

    @Test
    void networksWithTheHandOffMatchCentredDifferences() {
        Conv2d relu = new Conv2d(3, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true,
                Activations.byName("relu"), WeightInit.HE_NORMAL);
        LayerGradientCheckTest.assertGradientsMatch(LayerGradientCheckTest.head(List.of(relu, Pool2d.max(2))),
                ForwardContext.INFERENCE);
        LayerGradientCheckTest.assertGradientsMatch(LayerGradientCheckTest.head(List.of(Residual.of(List.of(relu,
                new Pool2d(true, Size2.square(3), Size2.square(1), Padding.SAME))))), ForwardContext.INFERENCE);
    }
}
