package dev.sparktrain.ops.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ops.config.Options;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every registered activation builds from the keys it declares, by name and as a map. */
class ActivationRegistryTest {

    private static Activation create(String type, Map<String, Object> keys) {
        Map<String, Object> config = new LinkedHashMap<>(keys);
        config.put("type", type);
        return Activations.create(new Options("model.layers[1]", Map.of("activation", config)), "activation",
                "identity");
    }

    @Test
    void everyActivationBuildsFromItsDeclaredKeys() {
        for (Kind<? extends Activation> kind : Activations.REGISTRY.kinds()) {
            Activation every = create(kind.name(), kind.exampleWithEveryKey());
            assertTrue(Activations.names().contains(every.name()), kind.name() + " builds " + every.name());
            Map<String, Object> defaults = kind.exampleWithRequiredKeys();
            for (ConfigKey key : kind.keys()) {
                if (key.hasFixedDefault()) {
                    defaults.put(key.name(), key.value());
                }
            }
            assertEquals(Activations.byName(kind.name()), create(kind.name(), defaults), kind.name());
        }
        assertEquals(new Identity(), Activations.byName("linear"));
        assertEquals(new Silu(), Activations.byName("swish"));
    }

    @Test
    void unknownActivationsAndKeysAreRefusedWithTheClosestName() {
        assertEquals("model.layers[1].activation: unknown activation 'mihs'; did you mean 'mish'?; expected one of "
                + Activations.names(), assertThrows(IllegalArgumentException.class, () -> create("mihs", Map.of()))
                .getMessage());
        for (Kind<? extends Activation> kind : Activations.REGISTRY.kinds()) {
            Map<String, Object> config = kind.exampleWithEveryKey();
            String key = kind.keys().isEmpty() ? "smoothing_factor" : kind.keys().get(0).name();
            config.put(key + "x", 1.0);
            config.remove(key);
            String message = assertThrows(IllegalArgumentException.class, () -> create(kind.name(), config))
                    .getMessage();
            String expected = kind.keys().isEmpty()
                    ? "unknown field 'model.layers[1].activation.smoothing_factorx'; known fields: [type]"
                    : "unknown field 'model.layers[1].activation." + key + "x'; did you mean '" + key + "'?";
            assertEquals(expected, message, kind.name());
        }
    }
}
