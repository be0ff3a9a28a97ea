package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.activations.Activations;
import dev.sparktrain.ops.init.WeightInit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution builds its im2col column matrix for as many samples at a time as its byte budget holds: what it keeps
 * stays within the budget whatever the batch, and a batch of several chunks gives what one chunk gives.
 */
class ConvColumnChunksTest {

    /** A convolution layer with its own parameter and gradient arrays. */
    private record Built(Conv2dLayer layer, INDArray gradWeights, INDArray gradBias) {

        static Built of(Conv2d spec, Shape input, INDArray weights, INDArray bias, long budgetBytes) {
            INDArray gw = weights.like();
            INDArray gb = bias == null ? null : bias.like();
            return new Built(new Conv2dLayer(spec, input, weights, bias, gw, gb, budgetBytes, ConvBackend.COLUMNS), gw, gb);
        }
    }

    private static Conv2d conv(int filters, int kernel, Padding padding, String activation, boolean bias) {
        return new Conv2d(filters, Size2.square(kernel), Size2.square(1), padding, Size2.square(1), bias,
                Activations.byName(activation), WeightInit.HE_NORMAL);
    }

    @Test
    void anEvaluationBatchKeepsNoLargerAColumnMatrixThanTheBudget() throws Exception {
        // LeNet's second convolution (20x12x12 in, 50 filters of 5x5): 128 KB of columns per sample, so a 2048-row
        // evaluation batch would need 262 MB in one matrix.
        Shape input = new Shape(20, 12, 12);
        Conv2d spec = conv(50, 5, Padding.VALID, "relu", true);
        Nd4j.getRandom().setSeed(3);
        INDArray w = Nd4j.randn(DataType.FLOAT, 50, 20, 5, 5).muli(0.05);
        INDArray b = Nd4j.randn(DataType.FLOAT, 50);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2048, 20, 12, 12);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A thread of its own, so that its scratch array holds only what this layer asked for.
        Thread thread = new Thread(() -> {
            try {
                Built chunked = Built.of(spec, input, w, b, Conv2dLayer.COLUMN_BUDGET_BYTES);
                INDArray y = chunked.layer().forward(x, ForwardContext.INFERENCE).dup();
                long kept = chunked.layer().keptColumnBytes();
                assertTrue(kept > 0 && kept <= Conv2dLayer.COLUMN_BUDGET_BYTES, "kept " + kept + " bytes");
                long scratch = 4L * HeapValues.scratch(DataType.FLOAT).capacity();
                assertTrue(scratch <= Conv2dLayer.COLUMN_BUDGET_BYTES, "heap copy of " + scratch + " bytes");

                Built whole = Built.of(spec, input, w, b, Long.MAX_VALUE);
                INDArray want = whole.layer().forward(x, ForwardContext.INFERENCE);
                assertEquals(2048L * 500 * 64 * 4, whole.layer().keptColumnBytes());
                assertEquals(0, want.sub(y).normmaxNumber().doubleValue(), 1e-5 * want.normmaxNumber().doubleValue());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void chunkSizeFollowsTheBudget() {
        assertEquals(262, Conv2dLayer.chunkSamples(32L << 20, 500 * 64, DataType.FLOAT, 2048));
        assertEquals(131, Conv2dLayer.chunkSamples(32L << 20, 500 * 64, DataType.DOUBLE, 2048));
        assertEquals(64, Conv2dLayer.chunkSamples(32L << 20, 500 * 64, DataType.FLOAT, 64));
        assertEquals(1, Conv2dLayer.chunkSamples(1000, 500 * 64, DataType.FLOAT, 64)); // one sample over the budget
    }

    @Test
    void severalChunksGiveWhatOneChunkGives() {
        Shape input = new Shape(3, 7, 6);
        for (String activation : new String[] {"relu", "identity", "tanh"}) {
            for (boolean bias : new boolean[] {true, false}) {
                Conv2d spec = conv(4, 3, activation.equals("tanh") ? Padding.VALID : Padding.SAME, activation, bias);
                Patches patches = Patches.of(spec.window(), input);
                // Chunks of 3 samples: a batch of 7 is 3 + 3 + 1.
                long budget = 3 * patches.columnValuesPerSample() * DataType.DOUBLE.width();
                Nd4j.getRandom().setSeed(11);
                INDArray w = Nd4j.randn(DataType.DOUBLE, 4, 3, 3, 3);
                INDArray b = bias ? Nd4j.randn(DataType.DOUBLE, 4) : null;
                Built chunked = Built.of(spec, input, w, b, budget);
                Built whole = Built.of(spec, input, w, b, Long.MAX_VALUE);
                String what = activation + (bias ? " with bias" : " without bias");
                // Twice, with another input of the same size: the second pass must not find the first's columns.
                for (int pass = 0; pass < 2; pass++) {
                    INDArray x = Nd4j.randn(DataType.DOUBLE, 7, 3, 7, 6);
                    INDArray y = chunked.layer().forward(x, ForwardContext.training(1)).dup();
                    INDArray want = whole.layer().forward(x, ForwardContext.training(1));
                    assertClose(want, y, what + ": output");
                    INDArray g = Nd4j.randn(DataType.DOUBLE, y.shape());
                    INDArray dx = chunked.layer().backward(g).dup();
                    assertClose(whole.layer().backward(g), dx, what + ": dLoss/dx");
                    assertClose(whole.gradWeights(), chunked.gradWeights(), what + ": dLoss/dW");
                    if (bias) {
                        assertClose(whole.gradBias(), chunked.gradBias(), what + ": dLoss/db");
                    }
                    chunked.gradWeights().assign(0);
                    chunked.layer().backwardParamsOnly(g);
                    assertClose(whole.gradWeights(), chunked.gradWeights(), what + ": dLoss/dW without dLoss/dx");
                }
                assertTrue(chunked.layer().keptColumnBytes() <= budget);
            }
        }
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()), what);
        double scale = Math.max(1, want.normmaxNumber().doubleValue());
        assertEquals(0, want.sub(got).normmaxNumber().doubleValue(), 1e-12 * scale, what);
    }
}
