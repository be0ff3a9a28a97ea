package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float passes that work on several channels at once (batch-norm's statistics and gradient sums, its fused
 * normalisation) and global average pooling's backward on the heap give the bits of the passes they replaced: one
 * channel at a time, two {@code combine} passes, libnd4j's broadcast division. Training stays bitwise what it was.
 */
class BitwisePassesTest {

    /** 7 channels: a group of four side by side and three left over; runs of 13 values; two samples. */
    private static final int CHANNELS = 7;
    private static final int RUN = 13;

    @Test
    void channelMomentsAreOneChannelAtATimeToTheBit() {
        HeapValues x = randomFloats(2 * CHANNELS * RUN, 1);
        double[] shift = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            shift[c] = 0.1f * c - 0.3f;
        }
        double[] sums = new double[CHANNELS];
        double[] squares = new double[CHANNELS];
        double[] expectedSums = new double[CHANNELS];
        double[] expectedSquares = new double[CHANNELS];
        double[] acc = new double[2];
        for (int b = 0; b < 2; b++) {
            x.channelMoments(b * CHANNELS * RUN, 0, CHANNELS, RUN, shift, sums, squares);
        }
        for (int c = 0; c < CHANNELS; c++) {
            acc[0] = 0;
            acc[1] = 0;
            for (int b = 0; b < 2; b++) {
                x.moments((b * CHANNELS + c) * RUN, RUN, shift[c], acc);
            }
            expectedSums[c] = acc[0];
            expectedSquares[c] = acc[1];
        }
        assertArrayEquals(expectedSums, sums, 0);
        assertArrayEquals(expectedSquares, squares, 0);
    }

    @Test
    void channelSumsAndDotsAreOneChannelAtATimeToTheBit() {
        HeapValues g = randomFloats(2 * CHANNELS * RUN, 2);
        HeapValues normalized = randomFloats(2 * CHANNELS * RUN, 3);
        double[] sums = new double[CHANNELS];
        double[] dots = new double[CHANNELS];
        for (int b = 0; b < 2; b++) {
            g.channelSumsAndDots(b * CHANNELS * RUN, 0, CHANNELS, RUN, normalized, sums, dots);
        }
        double[] acc = new double[2];
        for (int c = 0; c < CHANNELS; c++) {
            acc[0] = 0;
            acc[1] = 0;
            for (int b = 0; b < 2; b++) {
                g.sumAndDot((b * CHANNELS + c) * RUN, normalized, RUN, acc);
            }
            assertEquals(acc[0], sums[c], 0);
            assertEquals(acc[1], dots[c], 0);
        }
    }

    @Test
    void normalizeIsTheTwoCombinePassesToTheBit() {
        HeapValues x = randomFloats(3 * RUN, 4);
        HeapValues normalized = HeapValues.of(DataType.FLOAT).ensure(3 * RUN);
        HeapValues out = HeapValues.of(DataType.FLOAT).ensure(3 * RUN);
        HeapValues expectedNormalized = HeapValues.of(DataType.FLOAT).ensure(3 * RUN);
        HeapValues expectedOut = HeapValues.of(DataType.FLOAT).ensure(3 * RUN);
        double scale = 1 / Math.sqrt(0.37 + 1e-5);
        double mean = 0.41;
        x.normalize(RUN, scale, -mean * scale, 1.3, -0.2, normalized, out, RUN);
        x.combine(RUN, scale, null, 0, -mean * scale, expectedNormalized, RUN, RUN);
        expectedNormalized.combine(RUN, 1.3, null, 0, -0.2, expectedOut, RUN, RUN);
        for (int k = RUN; k < 2 * RUN; k++) {
            assertEquals(expectedNormalized.get(k), normalized.get(k), 0);
            assertEquals(expectedOut.get(k), out.get(k), 0);
        }
    }

    @Test
    void globalAveragePoolingBackwardIsLibnd4jsBroadcastDivisionToTheBit() {
        Shape input = new Shape(3, 7, 7);
        Layer pool = new GlobalAvgPool().build(input, java.util.Map.of(), java.util.Map.of());
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3, 7, 7);
        INDArray g = Nd4j.randn(DataType.FLOAT, 5, 3);
        pool.forward(x, ForwardContext.training(1));
        INDArray expected = g.reshape(5, 3, 1, 1).broadcast(5, 3, 7, 7).div(49.0);
        assertEquals(expected, pool.backward(g));
        assertArrayEquals(expected.data().asFloat(), pool.backward(g).dup().data().asFloat(), 0f);
    }

    private static HeapValues randomFloats(int n, long seed) {
        Random random = new Random(seed);
        HeapValues v = HeapValues.of(DataType.FLOAT).ensure(n);
        for (int i = 0; i < n; i++) {
            v.set(i, (float) (random.nextGaussian() * 2 + 0.5));
        }
        return v;
    }
}
