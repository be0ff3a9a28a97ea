package dev.sparktrain.driver.data;

import dev.sparktrain.ops.layers.Shape;

/**
 * How training images are altered on their way into a mini-batch ({@code data.augment}); evaluation and prediction
 * always see the images as they are. Validated at construction; {@link #requireImages} checks it against the model's
 * input. The computation is {@link ImageAugmenter}'s.
 *
 * @param cropPadding    {@code data.augment.random_crop.padding}: pad every side with this many zero pixels, then
 *                       crop back to the input's size at a random offset; 0 for no crop
 * @param horizontalFlip {@code data.augment.horizontal_flip}: mirror left to right with probability 1/2
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) implements java.io.Serializable {

    /** Images as they are. */
    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (cropPadding < 0) {
            throw new IllegalArgumentException("data.augment.random_crop.padding must be >= 0 (0: no crop), got "
                    + cropPadding);
        }
    }

    /** Whether any row is changed. */
    public boolean enabled() {
        return cropPadding > 0 || horizontalFlip;
    }

    /**
     * Checks that the model's {@code input} is an image {@code [C, H, W]} (NCHW rows) the augmentation fits: a crop
     * may pad by at most half the smaller side, so every crop keeps at least half of the image in each direction.
     */
    public void requireImages(Shape input) {
        if (!enabled()) {
            return;
        }
        if (input.rank() != 3) {
            throw new IllegalArgumentException("data.augment needs image inputs, model.input_shape [C, H, W], got "
                    + "input_shape [" + dimsText(input) + "]");
        }
        long side = Math.min(input.dim(1), input.dim(2));
        if (cropPadding > side / 2) {
            throw new IllegalArgumentException("data.augment.random_crop.padding must be in [1, " + side / 2
                    + "] for " + input.dim(1) + "x" + input.dim(2) + " images (at most half the smaller side), got "
                    + cropPadding);
        }
    }

    private static String dimsText(Shape shape) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) {
            out.append(i == 0 ? "" : ", ").append(shape.dim(i));
        }
        return out.toString();
    }
}
