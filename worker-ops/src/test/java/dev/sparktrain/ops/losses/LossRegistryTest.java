package dev.sparktrain.ops.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every registered loss builds from the keys it declares, with the defaults it declares. */
class LossRegistryTest {

    private static Loss create(String type, Map<String, Object> keys) {
        Map<String, Object> config = new LinkedHashMap<>(keys);
        config.put("type", type);
        return Losses.create(new Options("model.loss", config));
    }

    @Test
    void everyLossBuildsFromItsDeclaredKeys() {
        for (Kind<? extends Loss> kind : Losses.REGISTRY.kinds()) {
            Loss every = create(kind.name(), kind.exampleWithEveryKey());
            assertTrue(Losses.names().contains(every.name()), kind.name() + " builds " + every.name());
            Map<String, Object> defaults = kind.exampleWithRequiredKeys();
            Loss required = create(kind.name(), defaults);
            for (ConfigKey key : kind.keys()) {
                if (key.hasFixedDefault()) {
                    defaults.put(key.name(), key.value());
                }
            }
            assertEquals(required, create(kind.name(), defaults), kind.name());
        }
        assertEquals(create("softmax_cross_entropy", Map.of()), create("categorical_cross_entropy", Map.of()));
    }

    @Test
    void unknownLossesAndKeysAreRefusedWithTheClosestName() {
        assertEquals("model.loss.type 'softmax_crossentropy' is not a loss; did you mean 'softmax_cross_entropy'?",
                assertThrows(IllegalArgumentException.class, () -> create("softmax_crossentropy", Map.of()))
                        .getMessage());
        for (Kind<? extends Loss> kind : Losses.REGISTRY.kinds()) {
            Map<String, Object> config = kind.exampleWithEveryKey();
            String key = kind.keys().isEmpty() ? "smoothing_factor" : kind.keys().get(0).name();
            config.put(key + "x", 1.0);
            config.remove(key);
            String message = assertThrows(IllegalArgumentException.class, () -> create(kind.name(), config))
                    .getMessage();
            String expected = kind.keys().isEmpty() ? "unknown field 'model.loss.smoothing_factorx'; known fields: [type]"
                    : "unknown field 'model.loss." + key + "x'; did you mean '" + key + "'?";
            assertEquals(expected, message, kind.name());
        }
    }
}
