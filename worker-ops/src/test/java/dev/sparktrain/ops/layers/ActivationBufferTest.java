package dev.sparktrain.ops.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationBufferTest {

    @Test
    void aPartialBatchIsServedFromTheFirstRowsAndTheFullBatchGetsItsArrayBack() {
        ActivationBuffer buffer = new ActivationBuffer(3);
        INDArray full = buffer.get(4, DataType.FLOAT);
        assertArrayEquals(new long[] {4, 3}, full.shape());
        assertSame(full, buffer.get(4, DataType.FLOAT));

        INDArray partial = buffer.get(2, DataType.FLOAT);
        assertArrayEquals(new long[] {2, 3}, partial.shape());
        partial.assign(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        // The first rows of the full array, in place.
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}), full.getRows(0, 1));
        assertSame(full, buffer.get(4, DataType.FLOAT));

        INDArray larger = buffer.get(5, DataType.FLOAT);
        assertNotSame(full, larger);
        assertArrayEquals(new long[] {5, 3}, larger.shape());
        assertEquals(DataType.DOUBLE, buffer.get(5, DataType.DOUBLE).dataType());
    }

    @Test
    void rowShapesOfAnyRankAndNone() {
        INDArray images = new ActivationBuffer(2, 5, 5).get(3, DataType.FLOAT);
        assertArrayEquals(new long[] {3, 2, 5, 5}, images.shape());
        ActivationBuffer labels = new ActivationBuffer();
        labels.get(8, DataType.FLOAT);
        assertArrayEquals(new long[] {6}, labels.get(6, DataType.FLOAT).shape());
    }
}
