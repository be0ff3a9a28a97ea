package dev.sparktrain.ops.params;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The bulk path and ND4J's general path give the same values, for whole buffers, views and column-major arrays. */
class NativeFloatsTest {

    private static final float[] VALUES = {1, 2, 3, 4, 5, 6};

    @Test
    void roundTripsAFlatArray() {
        INDArray a = NativeFloats.copyOf(VALUES);
        assertArrayEquals(VALUES, a.toFloatVector());
        assertArrayEquals(VALUES, NativeFloats.toArray(a));
        NativeFloats.copyInto(a, new float[] {6, 5, 4, 3, 2, 1});
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, a.toFloatVector());
    }

    @Test
    void readsAndWritesViewsAndColumnMajorArraysInRowMajorOrder() {
        INDArray base = Nd4j.createFromArray(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        INDArray view = base.get(NDArrayIndex.interval(2, 8));
        assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, NativeFloats.toArray(view));
        NativeFloats.copyInto(view, VALUES);
        assertArrayEquals(new float[] {0, 1, 1, 2, 3, 4, 5, 6, 8, 9}, base.toFloatVector());

        INDArray columnMajor = Nd4j.create(DataType.FLOAT, new long[] {2, 3}, 'f');
        NativeFloats.copyInto(columnMajor, VALUES);
        assertEquals(2f, columnMajor.getFloat(0, 1));
        assertEquals(4f, columnMajor.getFloat(1, 0));
        assertArrayEquals(VALUES, NativeFloats.toArray(columnMajor));
    }

    @Test
    void refusesALengthMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeFloats.copyInto(Nd4j.create(DataType.FLOAT, 4), VALUES));
        assertEquals("cannot copy 6 values into an array of 4", e.getMessage());
    }

    @Test
    void anArrayStartsItsBufferWhenItsValuesAreTheBuffersFirstInRowMajorOrder() {
        INDArray whole = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape('c', 6, 4);
        assertTrue(NativeFloats.startsItsBuffer(whole));
        INDArray leadingRows = whole.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all());
        assertTrue(NativeFloats.startsItsBuffer(leadingRows));
        assertEquals(leadingRows.getFloat(2, 3), leadingRows.data().asNioFloat().get(11));
        assertTrue(NativeFloats.startsItsBuffer(whole.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all())));

        assertFalse(NativeFloats.startsItsBuffer(whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all())),
                "offset");
        assertFalse(NativeFloats.startsItsBuffer(whole.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))),
                "strided rows");
        assertFalse(NativeFloats.startsItsBuffer(whole.dup('f')), "column-major");
        assertFalse(NativeFloats.startsItsBuffer(whole.castTo(DataType.DOUBLE)), "double");
    }
}
