package dev.sparktrain.driver.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A resumed run may read its data from elsewhere, but not augment it otherwise: that changes every step. */
class ResumeChangesAugmentTest {

    private static Map<String, Object> config(Map<String, Object> data) {
        return Map.of("model", Map.of("input_shape", List.of(1, 8, 8)), "training", Map.of("epochs", 2),
                "data", data);
    }

    @Test
    void dataMayMoveButItsAugmentationMayNotChange() {
        Map<String, Object> crop = Map.of("random_crop", Map.of("padding", 2), "horizontal_flip", true);
        Map<String, Object> saved = config(Map.of("train_images", "a.gz", "augment", crop));
        assertEquals(List.of(), ResumeChanges.forbidden(saved, config(Map.of("train_images", "/elsewhere/a.gz",
                "augment", crop))));
        assertEquals(List.of("data.augment.random_crop.padding"), ResumeChanges.forbidden(saved,
                config(Map.of("train_images", "a.gz", "augment", Map.of("random_crop", Map.of("padding", 3),
                        "horizontal_flip", true)))));
        assertEquals(List.of("data.augment.horizontal_flip", "data.augment.random_crop.padding"),
                ResumeChanges.forbidden(saved, config(Map.of("train_images", "a.gz"))));
        assertEquals(List.of("data.augment.horizontal_flip"), ResumeChanges.forbidden(
                config(Map.of("train_images", "a.gz")), config(Map.of("augment", Map.of("horizontal_flip", true)))));
    }
}
