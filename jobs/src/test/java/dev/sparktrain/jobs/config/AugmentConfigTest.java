package dev.sparktrain.jobs.config;

import static dev.sparktrain.jobs.config.RunConfigParserTest.error;
import static dev.sparktrain.jobs.config.RunConfigParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.driver.data.Augmentation;
import org.junit.jupiter.api.Test;

/** {@code data.augment}: read into the training config, every bad value refused in one line naming the field. */
class AugmentConfigTest {

    private static final String CNN = """
            data:
              train_images: a.idx
              train_labels: b.idx
              augment:
                random_crop: {padding: 2}
                horizontal_flip: true
            model:
              input_shape: [1, 8, 8]
              layers:
                - {type: conv2d, filters: 2, kernel: 3}
                - {type: flatten}
                - {type: dense, units: 3}
              loss: softmax_cross_entropy
            optimizer: {type: adam, lr: 0.01}
            """;

    @Test
    void readsTheSectionIntoTheTrainingConfig() {
        assertEquals(new Augmentation(2, true), parse(CNN).training().augmentation());
        assertEquals(new Augmentation(0, true), parse(CNN, "data.augment.random_crop=null").training()
                .augmentation());
        assertEquals(new Augmentation(3, false), parse(CNN, "data.augment.random_crop.padding=3",
                "data.augment.horizontal_flip=false").training().augmentation());
        assertEquals(Augmentation.NONE, parse(CNN, "data.augment=null").training().augmentation());
        assertEquals(Augmentation.NONE, parse(CNN.replace("""
                  augment:
                    random_crop: {padding: 2}
                    horizontal_flip: true
                """, "")).training().augmentation());
    }

    @Test
    void badValuesNameTheFieldWhatWasExpectedAndWhatWasFound() {
        assertEquals("data.augment.random_crop.padding: expected a whole number in [1, 1048576], got 0",
                error(CNN, "data.augment.random_crop.padding=0"));
        assertEquals("data.augment.random_crop.padding: expected a whole number in [1, 1048576], got 1.5",
                error(CNN, "data.augment.random_crop.padding=1.5"));
        assertEquals("data.augment.random_crop.padding must be in [1, 4] for 8x8 images (at most half the smaller "
                + "side), got 5", error(CNN, "data.augment.random_crop.padding=5"));
        assertEquals("data.augment.random_crop.padding is required", error(CNN.replace("{padding: 2}", "{}")));
        assertEquals("data.augment.random_crop must be a map of options, got '2'",
                error(CNN.replace("{padding: 2}", "2")));
        assertEquals("data.augment.horizontal_flip must be true or false, got 'yes please'",
                error(CNN, "data.augment.horizontal_flip=yes please"));
        assertEquals("unknown field 'data.augment.vertical_flip'; known fields: [horizontal_flip, random_crop]",
                error(CNN, "data.augment.vertical_flip=true"));
        assertEquals("unknown field 'data.augment.random_crop.pad'; known fields: [padding]",
                error(CNN.replace("{padding: 2}", "{padding: 2, pad: 1}")));
        assertEquals("data.augment must be a section (a mapping), got true", error(CNN, "data.augment=true"));
    }

    @Test
    void vectorInputsAreRefusedInOneLine() {
        String mlp = CNN.replace("[1, 8, 8]", "[64]").replace("""
                    - {type: conv2d, filters: 2, kernel: 3}
                    - {type: flatten}
                """, "");
        assertEquals("data.augment needs image inputs, model.input_shape [C, H, W], got input_shape [64]",
                error(mlp));
        assertEquals(Augmentation.NONE, parse(mlp, "data.augment=null").training().augmentation());
    }
}
