package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float convolution on oneDNN's primitives gives what the double im2col path gives, within float tolerance: output,
 * dLoss/dx, dW and db, for ReLU, identity and a non-fused activation, with and without bias, over strides, paddings and
 * dilations the config allows, with the activations in blocks of channels, channels-last and NCHW inside oneDNN; and for batches of a new size (new
 * primitives) after an old one, and inference batches beyond the layer's byte budget.
 */
class OneDnnConvolutionTest {

    static Stream<Arguments> shapes() {
        return Stream.of(ConvBackend.ONEDNN_BLOCKED, ConvBackend.ONEDNN_NHWC, ConvBackend.ONEDNN_NCHW).flatMap(backend -> shapeList()
                .map(a -> {
                    Object[] all = java.util.Arrays.copyOf(a.get(), a.get().length + 1);
                    all[all.length - 1] = backend;
                    return Arguments.of(all);
                }));
    }

    private static Stream<Arguments> shapeList() {
        return Stream.of(
                // channels, size, filters, kernel, stride, padding, dilation, activation, bias, batch
                Arguments.of(1, 28, 20, 5, 1, Padding.VALID, 1, "relu", true, 64),
                Arguments.of(20, 12, 50, 5, 1, Padding.VALID, 1, "relu", true, 7),
                Arguments.of(16, 14, 16, 3, 1, Padding.SAME, 1, "identity", false, 5),
                Arguments.of(3, 15, 8, 3, 2, Padding.SAME, 1, "relu", false, 4),
                Arguments.of(4, 13, 6, 3, 2, Padding.explicit(1, 1), 1, "identity", true, 3),
                Arguments.of(4, 11, 5, 3, 1, Padding.explicit(2, 2), 2, "tanh", true, 3),
                Arguments.of(16, 14, 32, 1, 2, Padding.VALID, 1, "identity", false, 6),
                Arguments.of(2, 10, 3, 4, 3, Padding.VALID, 1, "relu", true, 2));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void floatOnOneDnnMatchesTheDoublePath(int channels, int size, int filters, int kernel, int stride, Padding padding,
                                           int dilation, String activation, boolean bias, int batch,
                                           ConvBackend backend) {
        Conv2d spec = new Conv2d(filters, Size2.square(kernel), Size2.square(stride), padding, Size2.square(dilation),
                bias, Activations.byName(activation), WeightInit.HE_NORMAL);
        Shape input = new Shape(channels, size, size);
        Nd4j.getRandom().setSeed(11);
        INDArray w = Nd4j.randn(DataType.DOUBLE, filters, channels, kernel, kernel).muli(0.3);
        INDArray b = bias ? Nd4j.randn(DataType.DOUBLE, filters) : null;
        Pass reference = Pass.run(spec, input, w, b, batch, null, 5);
        Pass onednn = Pass.run(spec, input, w, b, batch, backend, 5);
        assertTrue(onednn.ranOneDnn, "the float pass should have run on oneDNN");
        reference.assertClose(onednn);
    }

    @Test
    void aLayerKeepsItsPrimitivesAcrossBatchSizes() {
        Conv2d spec = new Conv2d(8, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true,
                Activations.byName("relu"), WeightInit.HE_NORMAL);
        Shape input = new Shape(3, 9, 9);
        Nd4j.getRandom().setSeed(5);
        INDArray w = Nd4j.randn(DataType.FLOAT, 8, 3, 3, 3);
        INDArray b = Nd4j.randn(DataType.FLOAT, 8);
        INDArray gw = w.like();
        INDArray gb = b.like();
        INDArray pgw = w.like();
        INDArray pgb = b.like();
        Conv2dLayer layer = new Conv2dLayer(spec, input, w, b, gw, gb, Conv2dLayer.COLUMN_BUDGET_BYTES,
                ConvBackend.ONEDNN);
        Conv2dLayer plain = new Conv2dLayer(spec, input, w, b, pgw, pgb, Conv2dLayer.COLUMN_BUDGET_BYTES,
                ConvBackend.COLUMNS);
        for (int rows : new int[] {4, 9, 4, 1, 9}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, rows, 3, 9, 9);
            INDArray g = Nd4j.randn(DataType.FLOAT, rows, 8, 9, 9);
            INDArray y = layer.forward(x, ForwardContext.training(1)).dup();
            INDArray dx = layer.backward(g).dup();
            assertTrue(layer.ranOneDnn());
            INDArray want = plain.forward(x, ForwardContext.training(1));
            INDArray wantDx = plain.backward(g);
            assertClose(want, y);
            assertClose(wantDx, dx);
            assertClose(pgw, gw);
            assertClose(pgb, gb);
        }
    }

    @Test
    void inferenceBeyondTheBudgetRunsInChunksAndTrainingTakesTheColumns() {
        Conv2d spec = new Conv2d(16, Size2.square(3), Size2.square(1), Padding.SAME, Size2.square(1), true,
                Activations.byName("relu"), WeightInit.HE_NORMAL);
        Shape input = new Shape(16, 10, 10);
        Nd4j.getRandom().setSeed(8);
        INDArray w = Nd4j.randn(DataType.FLOAT, 16, 16, 3, 3).muli(0.2);
        INDArray b = Nd4j.randn(DataType.FLOAT, 16);
        // 3 samples' worth of oneDNN's buffers: a batch of 10 is 4 chunks.
        long budget = 3L * 4 * (16 * 100 + 16 * 100);
        Conv2dLayer small = new Conv2dLayer(spec, input, w, b, w.like(), b.like(), budget, ConvBackend.ONEDNN);
        Conv2dLayer reference = new Conv2dLayer(spec, input, w, b, w.like(), b.like(), Long.MAX_VALUE,
                ConvBackend.COLUMNS);
        INDArray x = Nd4j.randn(DataType.FLOAT, 10, 16, 10, 10);
        INDArray y = small.forward(x, ForwardContext.INFERENCE).dup();
        assertTrue(small.ranOneDnn());
        assertClose(reference.forward(x, ForwardContext.INFERENCE), y);
        small.forward(x, ForwardContext.training(1));
        assertFalse(small.ranOneDnn(), "a training batch beyond the budget should run on the columns");
        // A backward pass after a chunked inference pass still gives the whole batch's gradients.
        INDArray g = Nd4j.randn(DataType.FLOAT, 10, 16, 10, 10);
        small.forward(x, ForwardContext.INFERENCE);
        INDArray dx = small.backward(g).dup();
        reference.forward(x, ForwardContext.INFERENCE);
        assertClose(reference.backward(g), dx);
    }

    private static void assertClose(INDArray want, INDArray got) {
        double scale = Math.max(1e-3, want.normmaxNumber().doubleValue());
        assertEquals(0, want.sub(got).normmaxNumber().doubleValue(), 1e-4 * scale);
    }

    @Test
    void doublePassesStayOnTheColumnPath() {
        Conv2d spec = Conv2d.of(4, 3, Padding.SAME, Activations.byName("relu"));
        INDArray w = Nd4j.randn(DataType.DOUBLE, 4, 2, 3, 3);
        INDArray b = Nd4j.randn(DataType.DOUBLE, 4);
        Conv2dLayer layer = new Conv2dLayer(spec, new Shape(2, 6, 6), w, b, w.like(), b.like(),
                Conv2dLayer.COLUMN_BUDGET_BYTES, ConvBackend.ONEDNN);
        layer.forward(Nd4j.randn(DataType.DOUBLE, 3, 2, 6, 6), ForwardContext.training(1));
        assertTrue(OneDnnBuilder.available(), "libdnnl should load on this platform");
        assertFalse(layer.ranOneDnn());
    }

    /** One forward and backward pass of a layer, results in double. */
    private record Pass(INDArray y, INDArray dx, INDArray dw, INDArray db, boolean ranOneDnn) {

        /** On {@code backend} in float, or (null) on the columns in double. */
        static Pass run(Conv2d spec, Shape input, INDArray w, INDArray b, int batch, ConvBackend backend, long seed) {
            boolean onFloat = backend != null;
            DataType type = onFloat ? DataType.FLOAT : DataType.DOUBLE;
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.randn(DataType.DOUBLE, batch, input.dim(0), input.dim(1), input.dim(2));
            Shape out = spec.outputShape(input);
            INDArray g = Nd4j.randn(DataType.DOUBLE, batch, out.dim(0), out.dim(1), out.dim(2));
            // Weights and gradients as views of flat vectors, as the network hands them to a layer.
            long wl = w.length();
            long bl = b == null ? 0 : b.length();
            INDArray flat = Nd4j.create(type, 3 + wl + bl);
            INDArray grads = Nd4j.create(type, 3 + wl + bl);
            INDArray wv = flat.get(interval(3, 3 + wl)).reshape(w.shape());
            wv.assign(w.castTo(type));
            INDArray gwv = grads.get(interval(3, 3 + wl)).reshape(w.shape());
            INDArray bv = null;
            INDArray gbv = null;
            if (b != null) {
                bv = flat.get(interval(3 + wl, 3 + wl + bl));
                bv.assign(b.castTo(type));
                gbv = grads.get(interval(3 + wl, 3 + wl + bl));
            }
            Conv2dLayer layer = new Conv2dLayer(spec, input, wv, bv, gwv, gbv, Conv2dLayer.COLUMN_BUDGET_BYTES,
                    onFloat ? backend : ConvBackend.COLUMNS);
            INDArray y = layer.forward(x.castTo(type), ForwardContext.training(1)).castTo(DataType.DOUBLE);
            INDArray dx = layer.backward(g.castTo(type)).castTo(DataType.DOUBLE);
            return new Pass(y, dx, gwv.castTo(DataType.DOUBLE), gbv == null ? null : gbv.castTo(DataType.DOUBLE),
                    onFloat && layer.ranOneDnn());
        }

        private static org.nd4j.linalg.indexing.INDArrayIndex interval(long from, long to) {
            return org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to);
        }

        void assertClose(Pass other) {
            close("output", y, other.y);
            close("dLoss/dx", dx, other.dx);
            close("dW", dw, other.dw);
            if (db != null) {
                close("db", db, other.db);
            }
        }

        private static void close(String what, INDArray want, INDArray got) {
            double scale = Math.max(1e-3, want.normmaxNumber().doubleValue());
            double error = want.sub(got).normmaxNumber().doubleValue();
            assertTrue(error <= 1e-4 * scale,
                    what + ": max error " + error + " against scale " + scale);
        }
    }
}
