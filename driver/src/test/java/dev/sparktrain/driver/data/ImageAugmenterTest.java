package dev.sparktrain.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.layers.Shape;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The crop-and-flip transform on small known images, and how rows are assigned their placement. */
class ImageAugmenterTest {

    /** One channel, 3x3: 1 2 3 / 4 5 6 / 7 8 9. */
    private static final float[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static float[] transform(float[] image, int channels, int side, int padding, int dy, int dx,
                                     boolean flip) {
        float[] out = new float[image.length + 2];
        out[0] = -1;
        out[out.length - 1] = -1;
        ImageAugmenter.transform(image, 0, out, 1, channels, side, side, padding, dy, dx, flip);
        assertEquals(-1, out[0], "wrote before its row");
        assertEquals(-1, out[out.length - 1], "wrote past its row");
        return java.util.Arrays.copyOfRange(out, 1, out.length - 1);
    }

    @Test
    void theCentredCropIsTheImageItself() {
        assertArrayEquals(NINE, transform(NINE, 1, 3, 1, 1, 1, false));
        assertArrayEquals(NINE, transform(NINE, 1, 3, 2, 2, 2, false));
    }

    @Test
    void cropOffsetsShiftTheImageAndFillWithZeros() {
        // Corner (0, 0) of the image padded by 1: the image moves one pixel down and right.
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, transform(NINE, 1, 3, 1, 0, 0, false));
        // Corner (2, 2): up and left.
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, transform(NINE, 1, 3, 1, 2, 2, false));
        // Corner (0, 2): down and left.
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, transform(NINE, 1, 3, 1, 0, 2, false));
        // Padding 2, corner (0, 4): two rows down, two columns left.
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 3, 0, 0}, transform(NINE, 1, 3, 2, 0, 4, false));
    }

    @Test
    void aFlipMirrorsEachRowAfterTheCrop() {
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, transform(NINE, 1, 3, 0, 0, 0, true));
        // Crop down-right (as above: 0 0 0 / 0 1 2 / 0 4 5), then mirror.
        assertArrayEquals(new float[] {0, 0, 0, 2, 1, 0, 5, 4, 0}, transform(NINE, 1, 3, 1, 0, 0, true));
    }

    @Test
    void everyChannelMovesTheSameWay() {
        float[] two = new float[18];
        for (int i = 0; i < 9; i++) {
            two[i] = NINE[i];
            two[9 + i] = 10 * NINE[i];
        }
        float[] out = transform(two, 2, 3, 1, 0, 2, true);
        assertArrayEquals(new float[] {0, 0, 0, 0, 3, 2, 0, 6, 5}, java.util.Arrays.copyOfRange(out, 0, 9));
        assertArrayEquals(new float[] {0, 0, 0, 0, 30, 20, 0, 60, 50}, java.util.Arrays.copyOfRange(out, 9, 18));
    }

    @Test
    void copyRowAppliesTheRowsPlacement() {
        Shape shape = new Shape(2, 5, 4);
        float[] image = new float[40];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        float[] source = new float[3 + image.length];
        System.arraycopy(image, 0, source, 3, image.length);
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(2, true), shape, 99);
        int changed = 0;
        for (long row = 0; row < 20; row++) {
            float[] target = new float[image.length + 5];
            augmenter.copyRow(source, 3, FloatBuffer.wrap(target), 5, 4, row);
            ImageAugmenter.Placement at = augmenter.placement(4, row);
            float[] expected = new float[image.length];
            ImageAugmenter.transform(image, 0, expected, 0, 2, 5, 4, 2, at.rowOffset(), at.columnOffset(),
                    at.flipped());
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(target, 5, target.length), "row " + row);
            changed += java.util.Arrays.equals(expected, image) ? 0 : 1;
        }
        assertTrue(changed >= 15, "most rows must change, " + changed + " of 20 did");
    }

    @Test
    void placementsCoverEveryOffsetAndFlipAboutHalf() {
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(2, true), new Shape(1, 8, 8), 5);
        int[][] seen = new int[5][5];
        int flips = 0;
        int n = 10_000;
        for (long row = 0; row < n; row++) {
            ImageAugmenter.Placement at = augmenter.placement(1, row);
            seen[at.rowOffset()][at.columnOffset()]++;
            flips += at.flipped() ? 1 : 0;
        }
        for (int[] line : seen) {
            for (int count : line) {
                // n / 25 = 400 expected per cell; 5 standard deviations either side.
                assertTrue(count > 300 && count < 500, "offset counts " + java.util.Arrays.deepToString(seen));
            }
        }
        assertTrue(flips > 4_750 && flips < 5_250, flips + " flips of " + n);
    }

    @Test
    void theFlipAloneNeverCrops() {
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(0, true), new Shape(1, 3, 3), 5);
        for (long row = 0; row < 100; row++) {
            ImageAugmenter.Placement at = augmenter.placement(2, row);
            assertEquals(0, at.rowOffset());
            assertEquals(0, at.columnOffset());
        }
    }

    @Test
    void aPlacementDependsOnSeedEpochAndGlobalRowOnly() {
        Augmentation crop = new Augmentation(3, true);
        Shape shape = new Shape(3, 8, 8);
        ImageAugmenter a = new ImageAugmenter(crop, shape, 17);
        ImageAugmenter b = new ImageAugmenter(crop, shape, 17);
        int epochDiffers = 0;
        int seedDiffers = 0;
        ImageAugmenter otherSeed = new ImageAugmenter(crop, shape, 18);
        for (long row = 0; row < 200; row++) {
            assertEquals(a.placement(3, row), b.placement(3, row));
            epochDiffers += a.placement(3, row).equals(a.placement(4, row)) ? 0 : 1;
            seedDiffers += a.placement(3, row).equals(otherSeed.placement(3, row)) ? 0 : 1;
        }
        assertTrue(epochDiffers > 150, "a new epoch draws anew: " + epochDiffers + " of 200 differ");
        assertTrue(seedDiffers > 150, "another seed draws anew: " + seedDiffers + " of 200 differ");
        // The key is Seeds' chain: the same as mixing the coordinates in one call.
        long key = Seeds.mix(17, Seeds.AUGMENT, 3, 5);
        assertEquals(key, Seeds.then(Seeds.then(Seeds.then(Seeds.start(17), Seeds.AUGMENT), 3), 5));
    }

    @Test
    void refusesInputsThatAreNotImagesOrTooSmallForThePadding() {
        IllegalArgumentException vector = assertThrows(IllegalArgumentException.class,
                () -> new Augmentation(2, false).requireImages(new Shape(784)));
        assertEquals("data.augment needs image inputs, model.input_shape [C, H, W], got input_shape [784]",
                vector.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> new ImageAugmenter(new Augmentation(5, false), new Shape(1, 8, 28), 1));
        assertEquals("data.augment.random_crop.padding must be in [1, 4] for 8x28 images (at most half the smaller "
                + "side), got 5", wide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, true));
        // Augmenting nothing needs no image.
        Augmentation.NONE.requireImages(new Shape(784));
    }
}
