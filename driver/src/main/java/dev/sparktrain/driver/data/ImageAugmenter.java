package dev.sparktrain.driver.data;

import dev.sparktrain.ops.layers.Shape;
import java.nio.FloatBuffer;

/**
 * Applies an {@link Augmentation} to image rows (NCHW: a row is C planes of H×W values, row-major) as they are copied
 * into a training batch. What happens to a row is a pure function of (run seed, epoch, the row's global index in the
 * training set): the same wherever the row's partition is, whichever thread or retry runs it, and after a resume.
 * From that 64-bit key, the low 32 bits pick the crop's row offset, the next 31 its column offset (each uniform in
 * {@code [0, 2·padding]}, the crop's corner in the padded image) and the top bit the flip.
 *
 * <p>One per thread: it keeps the row it composes, so a batch costs no allocation.
 */
public final class ImageAugmenter {

    private final Augmentation augmentation;
    private final int channels;
    private final int height;
    private final int width;
    private final long seedChain;
    private final float[] row;

    /** Where a row's crop starts in the padded image, and whether it is mirrored. */
    public record Placement(int rowOffset, int columnOffset, boolean flipped) {
    }

    /** For rows of the image shape {@code input} ({@code [C, H, W]}), in a run seeded with {@code seed}. */
    public ImageAugmenter(Augmentation augmentation, Shape input, long seed) {
        augmentation.requireImages(input);
        if (input.rank() != 3) {
            throw new IllegalArgumentException("image augmentation needs an input shape [C, H, W], got " + input);
        }
        this.augmentation = augmentation;
        this.channels = Math.toIntExact(input.dim(0));
        this.height = Math.toIntExact(input.dim(1));
        this.width = Math.toIntExact(input.dim(2));
        this.seedChain = Seeds.then(Seeds.start(seed), Seeds.AUGMENT);
        this.row = new float[Math.toIntExact(input.size())];
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    /** Values in one row (one image). */
    public int rowSize() {
        return row.length;
    }

    /** What happens to row {@code globalRow} of the training set in {@code epoch}. */
    public Placement placement(int epoch, long globalRow) {
        long key = key(epoch, globalRow);
        return new Placement(rowOffset(key), columnOffset(key), flipped(key));
    }

    /**
     * Writes row {@code globalRow} of the training set, whose values start at {@code source[from]}, into
     * {@code target} from index {@code at}, as {@code epoch} augments it.
     */
    public void copyRow(float[] source, int from, FloatBuffer target, int at, int epoch, long globalRow) {
        long key = key(epoch, globalRow);
        int p = augmentation.cropPadding();
        int dy = rowOffset(key);
        int dx = columnOffset(key);
        boolean flip = flipped(key);
        if (dy == p && dx == p && !flip) {
            target.put(at, source, from, row.length);
            return;
        }
        transform(source, from, row, 0, channels, height, width, p, dy, dx, flip);
        target.put(at, row, 0, row.length);
    }

    /**
     * The transform itself: {@code C×H×W} values from {@code source[from]} padded with {@code padding} zeros on every
     * side, cropped back to H×W with its corner at ({@code rowOffset}, {@code columnOffset}) of the padded image (so
     * {@code padding, padding} is no shift), then mirrored left to right if {@code flip}; written to
     * {@code target[at]}. Output pixel (c, y, x) is input pixel (c, y + rowOffset − padding, x' + columnOffset −
     * padding) with x' = W−1−x when flipped and x otherwise, or 0 where that falls outside the image.
     */
    public static void transform(float[] source, int from, float[] target, int at, int channels, int height,
                                 int width, int padding, int rowOffset, int columnOffset, boolean flip) {
        int shiftY = rowOffset - padding;
        int shiftX = columnOffset - padding;
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            for (int y = 0; y < height; y++) {
                int out = at + plane + y * width;
                int sy = y + shiftY;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(target, out, out + width, 0f);
                    continue;
                }
                int in = from + plane + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (flip ? width - 1 - x : x) + shiftX;
                    target[out + x] = sx >= 0 && sx < width ? source[in + sx] : 0f;
                }
            }
        }
    }

    private long key(int epoch, long globalRow) {
        return Seeds.then(Seeds.then(seedChain, epoch), globalRow);
    }

    private int rowOffset(long key) {
        return (int) (((key & 0xFFFFFFFFL) * span()) >>> 32);
    }

    private int columnOffset(long key) {
        return (int) ((((key >>> 32) & 0x7FFFFFFFL) * span()) >>> 31);
    }

    private boolean flipped(long key) {
        return augmentation.horizontalFlip() && key < 0;
    }

    /** Crop offsets per axis: {@code 2·padding + 1}. */
    private long span() {
        return 2L * augmentation.cropPadding() + 1;
    }
}
