package dev.sparktrain.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sparktrain.ops.params.NativeFloats;
import org.junit.jupiter.api.Test;

/** Gathering into a reused buffer gives what a fresh {@link Batch#gather} gives, also when the row count changes. */
class BatchBufferTest {

    private static final DataBlock BLOCK = block(10, 3);

    private static DataBlock block(int rows, int size) {
        float[] x = new float[rows * size];
        float[] y = new float[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.5f;
        }
        for (int i = 0; i < rows; i++) {
            y[i] = i % 4;
        }
        return new DataBlock(rows, size, x, y);
    }

    private static void assertSameBatch(Batch expected, Batch actual) {
        assertEquals(expected.rows(), actual.rows());
        assertArrayEquals(expected.features().shape(), actual.features().shape());
        assertArrayEquals(NativeFloats.toArray(expected.features()), NativeFloats.toArray(actual.features()));
        assertArrayEquals(expected.labels().toFloatVector(), actual.labels().toFloatVector());
    }

    @Test
    void matchesAFreshGatherStepAfterStep() {
        int[] order = Shuffle.order(7, 1, 0, BLOCK.rows());
        BatchBuffer buffer = new BatchBuffer();
        for (int[] step : new int[][] {{0, 4}, {4, 4}, {8, 2}, {0, 4}}) {
            assertSameBatch(Batch.gather(BLOCK, order, step[0], step[1]),
                    buffer.gather(BLOCK, order, step[0], step[1]));
        }
    }

    @Test
    void reusesItsArraysWhileTheBatchSizeStays() {
        int[] order = Shuffle.order(7, 1, 0, BLOCK.rows());
        BatchBuffer buffer = new BatchBuffer();
        Batch first = buffer.gather(BLOCK, order, 0, 4);
        Batch second = buffer.gather(BLOCK, order, 4, 4);
        assertSame(first.features(), second.features());
        assertSame(first.labels(), second.labels());
    }
}
