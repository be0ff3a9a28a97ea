package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.runtime.ScratchWorkspace;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Float pooling on oneDNN's primitives gives what the double Java walk gives: max pooling the same values and the
 * gradient at the same positions (to the bit, but for sums where windows overlap), average pooling within float
 * rounding; over kernels, strides, valid, same and explicit padding, odd sizes, batch sizes switching on one layer, and
 * arrays that are views. Ties go to the first maximum in the window, as on the Java walk.
 */
class OneDnnPoolingTest {

    static Stream<Arguments> windows() {
        return Stream.of(true, false).flatMap(max -> Stream.of(
                // channels, height, width, kernel, stride, padding, batch
                Arguments.of(max, 20, 24, 24, 2, 2, Padding.VALID, 64),
                Arguments.of(max, 50, 8, 8, 2, 2, Padding.VALID, 7),
                Arguments.of(max, 3, 7, 9, 2, 2, Padding.VALID, 5),
                Arguments.of(max, 3, 7, 9, 2, 2, Padding.SAME, 5),
                Arguments.of(max, 4, 11, 10, 3, 2, Padding.SAME, 3),
                Arguments.of(max, 2, 9, 9, 3, 1, Padding.SAME, 2),
                Arguments.of(max, 5, 13, 6, 3, 3, Padding.VALID, 4),
                Arguments.of(max, 2, 8, 7, 2, 1, Padding.explicit(1, 1), 3),
                Arguments.of(max, 16, 7, 7, 3, 2, Padding.explicit(1, 1), 2)));
    }

    @ParameterizedTest
    @MethodSource("windows")
    void floatOnOneDnnMatchesTheDoubleWalk(boolean max, int channels, int height, int width, int kernel, int stride,
                                           Padding padding, int batch) {
        Pool2d spec = new Pool2d(max, Size2.square(kernel), Size2.square(stride), padding);
        Shape input = new Shape(channels, height, width);
        Pool2dLayer onednn = new Pool2dLayer(spec, input);
        Pool2dLayer walk = new Pool2dLayer(spec, input);
        Nd4j.getRandom().setSeed(3);
        INDArray x = floats(batch, channels, height, width);
        Shape out = spec.outputShape(input);
        INDArray g = floats(batch, out.dim(0), out.dim(1), out.dim(2));
        assertPassesAgree(max, kernel > stride, onednn, walk, x, g);
    }

    @Test
    void doublePassesStayOnTheJavaWalk() {
        Pool2dLayer layer = new Pool2dLayer(Pool2d.max(2), new Shape(2, 6, 6));
        layer.forward(Nd4j.randn(DataType.DOUBLE, 3, 2, 6, 6), ForwardContext.training(1));
        assertFalse(layer.ranOneDnn());
        layer.forward(Nd4j.randn(DataType.FLOAT, 3, 2, 6, 6), ForwardContext.training(1));
        assertTrue(layer.ranOneDnn());
    }

    @Test
    void aLayerKeepsItsPrimitivesAcrossBatchSizes() {
        Pool2d spec = new Pool2d(true, Size2.square(3), Size2.square(2), Padding.SAME);
        Shape input = new Shape(4, 9, 9);
        Pool2dLayer onednn = new Pool2dLayer(spec, input);
        Pool2dLayer walk = new Pool2dLayer(spec, input);
        Nd4j.getRandom().setSeed(8);
        for (int batch : new int[] {6, 2, 6, 5, 2, 1}) {
            INDArray x = floats(batch, 4, 9, 9);
            INDArray g = floats(batch, 4, 5, 5);
            assertPassesAgree(true, true, onednn, walk, x, g);
        }
    }

    @Test
    void viewsRunOnOneDnnWhenContiguousAndOnTheWalkOtherwise() {
        Shape input = new Shape(3, 6, 6);
        Pool2dLayer onednn = new Pool2dLayer(Pool2d.max(2), input);
        Pool2dLayer walk = new Pool2dLayer(Pool2d.max(2), input, false);
        Nd4j.getRandom().setSeed(4);
        INDArray all = Nd4j.randn(DataType.FLOAT, 5, 3, 6, 6);
        INDArray grads = Nd4j.randn(DataType.FLOAT, 5, 3, 3, 3);
        // Rows 1..3: a contiguous view at an offset into its buffer.
        INDArray rows = all.get(NDArrayIndex.interval(1, 4));
        INDArray g = grads.get(NDArrayIndex.interval(1, 4));
        assertBitwise(onednn, walk, rows, g);
        assertTrue(onednn.ranOneDnn());
        // Every other column: not contiguous, so the walk.
        INDArray strided = Nd4j.randn(DataType.FLOAT, 2, 3, 6, 12).get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 12));
        onednn.forward(strided, ForwardContext.training(1));
        assertFalse(onednn.ranOneDnn());
        // A gradient that is a transposed view: copied for oneDNN.
        INDArray x = all.get(NDArrayIndex.interval(0, 2)).dup();
        INDArray transposed = Nd4j.randn(DataType.FLOAT, 2, 3, 3, 3).permute(0, 1, 3, 2);
        assertBitwise(onednn, walk, x, transposed);
        assertTrue(onednn.ranOneDnn());
    }

    /**
     * Equal values in a window (zeros after a ReLU are the common case) send the gradient to the first of them in
     * row-major order, on oneDNN as on the walk.
     */
    @Test
    void tiesGoToTheFirstMaximumInTheWindow() {
        Shape input = new Shape(1, 4, 6);
        float[] values = {
            0, 0, 3, 1, 7, 7,
            0, 0, 3, 3, 7, 7,
            2, 5, -1, -1, 4, 9,
            5, 5, -1, -1, 9, 9};
        INDArray x = Nd4j.createFromArray(values).reshape(1, 1, 4, 6);
        INDArray g = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6}).reshape(1, 1, 2, 3);
        Pool2dLayer onednn = new Pool2dLayer(Pool2d.max(2), input);
        INDArray y = onednn.forward(x, ForwardContext.training(1)).dup();
        assertTrue(onednn.ranOneDnn());
        assertArrayEquals(new float[] {0, 3, 7, 5, -1, 9}, y.data().asFloat());
        INDArray dx = onednn.backward(g).dup();
        float[] expected = {
            1, 0, 2, 0, 3, 0,
            0, 0, 0, 0, 0, 0,
            0, 4, 5, 0, 0, 6,
            0, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, dx.data().asFloat());
        assertBitwise(onednn, new Pool2dLayer(Pool2d.max(2), input, false), x, g);
    }

    /**
     * A training step runs inside the thread's scratch workspace, whose arrays die with the step: the positions of the
     * maxima that forward leaves for backward live outside it, and steps after the first still agree with the walk.
     */
    @Test
    void primitivesMadeInsideAStepsWorkspaceOutliveIt() {
        Shape input = new Shape(3, 8, 8);
        Pool2dLayer onednn = new Pool2dLayer(Pool2d.max(2), input);
        Pool2dLayer walk = new Pool2dLayer(Pool2d.max(2), input, false);
        Nd4j.getRandom().setSeed(6);
        for (int step = 0; step < 3; step++) {
            try (MemoryWorkspace scratch = ScratchWorkspace.open()) {
                INDArray x = Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8);
                INDArray g = Nd4j.randn(DataType.FLOAT, 4, 3, 4, 4);
                assertBitwise(onednn, walk, x, g);
                assertTrue(onednn.ranOneDnn());
            }
        }
        try (MemoryWorkspace scratch = ScratchWorkspace.open()) {
            OneDnnPooling made = OneDnnPooling.create(Patches.of(Pool2d.max(2).window(), input), true, 5);
            assertFalse(made.workspace().isAttached(), "the workspace array must not live in the step's scope");
        }
    }

    @Test
    void theNetworksPoolUsesOneDnn() {
        Layer layer = Pool2d.max(2).build(new Shape(2, 4, 4), Map.of(), Map.of());
        layer.forward(Nd4j.randn(DataType.FLOAT, 2, 2, 4, 4), ForwardContext.INFERENCE);
        assertTrue(((Pool2dLayer) layer).ranOneDnn());
    }

    /** Random doubles that floats hold exactly, so that both paths start from the same values. */
    private static INDArray floats(long... shape) {
        return Nd4j.randn(DataType.FLOAT, shape).castTo(DataType.DOUBLE);
    }

    /** Float on {@code onednn} against double on {@code walk}: outputs and dLoss/dx. */
    private static void assertPassesAgree(boolean max, boolean overlapping, Pool2dLayer onednn, Pool2dLayer walk,
                                          INDArray x, INDArray g) {
        INDArray y = onednn.forward(x.castTo(DataType.FLOAT), ForwardContext.training(1)).dup();
        assertTrue(onednn.ranOneDnn(), "the float pass should have run on oneDNN");
        INDArray dx = onednn.backward(g.castTo(DataType.FLOAT)).dup();
        INDArray wantY = walk.forward(x, ForwardContext.training(1)).dup();
        assertFalse(walk.ranOneDnn());
        INDArray wantDx = walk.backward(g).dup();
        assertArrayEquals(wantY.shape(), y.shape());
        assertArrayEquals(wantDx.shape(), dx.shape());
        // The float max of floats is the double max exactly; sums (averages, overlapping windows' gradients) round.
        double exact = 0;
        double rounded = 1e-6;
        assertEquals(0, wantY.sub(y.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), max ? exact : rounded);
        assertEquals(0, wantDx.sub(dx.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(),
                max && !overlapping ? exact : rounded);
    }

    /** Float on oneDNN against float on the walk, to the bit (max pooling). */
    private static void assertBitwise(Pool2dLayer onednn, Pool2dLayer walk, INDArray x, INDArray g) {
        INDArray y = onednn.forward(x, ForwardContext.training(1)).dup();
        INDArray dx = onednn.backward(g).dup();
        assertArrayEquals(walk.forward(x, ForwardContext.training(1)).dup().data().asFloat(), y.data().asFloat());
        assertArrayEquals(walk.backward(g).dup().data().asFloat(), dx.data().asFloat());
    }
}
