package dev.sparktrain.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.layers.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A row's augmented image depends on its global index, not on the partition it lands in, its place there, or the
 * order rows are gathered in; the labels travel unchanged.
 */
class AugmentedGatherTest {

    private static final Shape IMAGE = new Shape(1, 4, 5);
    private static final int SIZE = (int) IMAGE.size();
    private static final DataBlock ALL = TestBlocks.random(30, SIZE, 3, 1, 4);
    private static final Augmentation CROP_AND_FLIP = new Augmentation(2, true);

    /** Rows {@code [from, from + count)} of {@link #ALL}. */
    private static DataBlock slice(int from, int count) {
        return new DataBlock(count, SIZE, Arrays.copyOfRange(ALL.features(), from * SIZE, (from + count) * SIZE),
                Arrays.copyOfRange(ALL.labels(), from, from + count));
    }

    /** Every row's augmented image in {@code epoch} under a partitioning into blocks of {@code sizes} rows. */
    private static Map<Long, float[]> augmented(int[] sizes, int epoch, boolean shuffled) {
        RowAugmentation plan = RowAugmentation.of(CROP_AND_FLIP, sizes);
        ImageAugmenter augmenter = new ImageAugmenter(CROP_AND_FLIP, IMAGE, 8);
        BatchBuffer buffer = new BatchBuffer();
        Map<Long, float[]> out = new HashMap<>();
        int from = 0;
        for (int p = 0; p < sizes.length; p++) {
            DataBlock block = slice(from, sizes[p]);
            long first = plan.firstRow(p, block);
            assertEquals(from, first);
            int[] order = shuffled ? Shuffle.order(3, epoch, p, block.rows()) : identity(block.rows());
            // Batches of 4 rows (the last one partial), as a task gathers them.
            for (int at = 0; at < block.rows(); at += 4) {
                int count = Math.min(4, block.rows() - at);
                Batch batch = buffer.gatherAugmented(block, order, at, count, augmenter, epoch, first);
                float[] x = batch.features().dup().reshape(-1).toFloatVector();
                for (int i = 0; i < count; i++) {
                    long global = first + order[at + i];
                    assertEquals(ALL.labels()[(int) global], batch.labels().getFloat(i), "label of row " + global);
                    out.put(global, Arrays.copyOfRange(x, i * SIZE, (i + 1) * SIZE));
                }
            }
            from += sizes[p];
        }
        assertEquals(ALL.rows(), out.size());
        return out;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    @Test
    void everyPartitioningAndOrderGivesEachRowTheSameImage() {
        Map<Long, float[]> one = augmented(new int[] {30}, 2, false);
        for (int[] sizes : List.of(new int[] {12, 18}, new int[] {10, 10, 10}, new int[] {1, 28, 1})) {
            for (boolean shuffled : new boolean[] {false, true}) {
                Map<Long, float[]> other = augmented(sizes, 2, shuffled);
                for (long row = 0; row < 30; row++) {
                    assertArrayEquals(one.get(row), other.get(row), "row " + row + " under " + Arrays.toString(
                            sizes) + (shuffled ? " shuffled" : ""));
                }
            }
        }
    }

    @Test
    void theImagesAreTheTransformOfTheRowsPlacementAndChangeWithTheEpoch() {
        Map<Long, float[]> epoch2 = augmented(new int[] {12, 18}, 2, true);
        Map<Long, float[]> epoch3 = augmented(new int[] {12, 18}, 3, true);
        ImageAugmenter augmenter = new ImageAugmenter(CROP_AND_FLIP, IMAGE, 8);
        int differ = 0;
        for (long row = 0; row < 30; row++) {
            ImageAugmenter.Placement at = augmenter.placement(2, row);
            float[] expected = new float[SIZE];
            ImageAugmenter.transform(ALL.features(), (int) row * SIZE, expected, 0, 1, 4, 5, 2, at.rowOffset(),
                    at.columnOffset(), at.flipped());
            assertArrayEquals(expected, epoch2.get(row), "row " + row);
            differ += Arrays.equals(epoch2.get(row), epoch3.get(row)) ? 0 : 1;
        }
        assertTrue(differ >= 25, differ + " of 30 rows differ between epochs");
    }

    @Test
    void plainGatherIsUntouched() {
        BatchBuffer buffer = new BatchBuffer();
        Batch batch = buffer.gather(ALL, identity(30), 0, 30);
        assertArrayEquals(ALL.features(), batch.features().dup().reshape(-1).toFloatVector());
        assertFalse(RowAugmentation.of(Augmentation.NONE, new int[] {30}).enabled());
    }

    @Test
    void aBlockOfAnotherSizeThanPlannedIsRefused() {
        RowAugmentation plan = RowAugmentation.of(CROP_AND_FLIP, new int[] {12, 18});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plan.firstRow(1, slice(0, 17)));
        assertEquals("augmentation was planned for partitions of [12, 18] rows, got partition 1 of 17 rows",
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> plan.firstRow(2, slice(0, 18)));
        ImageAugmenter wrongShape = new ImageAugmenter(CROP_AND_FLIP, new Shape(1, 4, 4), 8);
        assertThrows(IllegalArgumentException.class,
                () -> new BatchBuffer().gatherAugmented(ALL, identity(30), 0, 4, wrongShape, 1, 0));
    }
}
