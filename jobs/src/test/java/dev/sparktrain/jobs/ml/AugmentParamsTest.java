package dev.sparktrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparktrain.driver.data.Augmentation;
import org.junit.jupiter.api.Test;

/** {@code data.augment} through the estimators: kept from the YAML, overridden by the typed params, validated. */
class AugmentParamsTest {

    static final String IMAGES = """
            name: tiles
            data: {augment: {random_crop: {padding: 1}}}
            model:
              input_shape: [1, 4, 4]
              layers:
                - {type: flatten}
                - {type: dense, units: 3}
              loss: softmax_cross_entropy
            optimizer: {type: adam, lr: 0.01}
            training: {epochs: 1, batch_size_per_worker: 8, workers: 2, seed: 3}
            """;

    private static Augmentation resolved(NeuralNetClassifier nn) {
        return nn.resolvedConfig().training().augmentation();
    }

    @Test
    void theYamlsAugmentSectionIsKeptAndTheParamsOverrideIt() {
        assertEquals(new Augmentation(1, false), resolved(new NeuralNetClassifier().setConfig(IMAGES)));
        assertEquals(new Augmentation(2, true),
                resolved(new NeuralNetClassifier().setConfig(IMAGES).setCropPadding(2).setHorizontalFlip(true)));
        String plain = IMAGES.replace("data: {augment: {random_crop: {padding: 1}}}\n", "");
        assertEquals(Augmentation.NONE, resolved(new NeuralNetClassifier().setConfig(plain)));
        assertEquals(new Augmentation(0, true),
                resolved(new NeuralNetClassifier().setConfig(plain).setHorizontalFlip(true)));
    }

    @Test
    void badValuesAreRefusedAsTheConfigRefusesThem() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> resolved(new NeuralNetClassifier().setConfig(IMAGES).setCropPadding(0)));
        assertEquals("data.augment.random_crop.padding: expected a whole number in [1, 1048576], got 0",
                zero.getMessage());
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> resolved(new NeuralNetClassifier().setConfig(IMAGES).setCropPadding(3)));
        assertEquals("data.augment.random_crop.padding must be in [1, 2] for 4x4 images (at most half the smaller "
                + "side), got 3", large.getMessage());
    }
}
