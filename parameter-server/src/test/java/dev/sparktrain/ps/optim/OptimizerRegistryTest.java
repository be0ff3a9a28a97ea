package dev.sparktrain.ps.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ops.config.ConfigKey;
import dev.sparktrain.ops.config.Kind;
import dev.sparktrain.ps.schedule.Schedules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every registered update rule (each RMSProp flavour too) and schedule builds from the keys it declares, with the
 * defaults it declares; unknown names are refused with the closest one; range errors name the field at the
 * section's own path.
 */
class OptimizerRegistryTest {

    private static final String OUTER = "training.outer_optimizer";

    /** Plain kinds, and each variant of a kind with variants under its selector. */
    private static List<Map<String, Object>> everyKindsKeys(boolean allKeys) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (Kind<? extends UpdateRule> kind : Optimizers.REGISTRY.kinds()) {
            List<? extends Kind<?>> variants = kind.variants().isEmpty() ? List.of(kind) : kind.variants();
            for (Kind<?> variant : variants) {
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("type", kind.name());
                if (variant != kind) {
                    config.put(kind.keys().get(0).name(), variant.name());
                }
                config.putAll(allKeys ? variant.exampleWithEveryKey() : variant.exampleWithRequiredKeys());
                configs.add(config);
            }
        }
        return configs;
    }

    @Test
    void everyRuleBuildsFromItsDeclaredKeysAndDefaults() {
        assertEquals(List.of("sgd", "adam", "adamw", "rmsprop", "adagrad"), Optimizers.REGISTRY.names());
        List<Map<String, Object>> every = everyKindsKeys(true);
        List<Map<String, Object>> required = everyKindsKeys(false);
        assertEquals(6, every.size());
        for (int i = 0; i < every.size(); i++) {
            Optimizers.Configured withDefaults = Optimizers.create("optimizer", every.get(i));
            Optimizers.Configured implicit = Optimizers.create("optimizer", required.get(i));
            assertEquals(implicit.optimizer(), withDefaults.optimizer(), every.get(i).toString());
            assertEquals(implicit.resolved(), withDefaults.resolved(), every.get(i).toString());
        }
    }

    @Test
    void everyScheduleBuildsFromItsDeclaredKeysAndDefaults() {
        for (Kind<?> kind : Schedules.REGISTRY.kinds()) {
            Map<String, Object> every = new LinkedHashMap<>(kind.exampleWithEveryKey());
            every.put("type", kind.name());
            Map<String, Object> required = new LinkedHashMap<>(kind.exampleWithRequiredKeys());
            required.put("type", kind.name());
            for (ConfigKey key : kind.keys()) {
                if (!key.hasFixedDefault()) {
                    assertEquals(key.value(), every.get(key.name()));
                }
            }
            Schedules.Configured a = Schedules.create("optimizer.schedule", every);
            Schedules.Configured b = Schedules.create("optimizer.schedule", required);
            assertEquals(b.resolved(), a.resolved(), kind.name());
            for (long step : new long[] {0, 1, 7, 150}) {
                assertEquals(b.schedule().factor(step), a.schedule().factor(step), kind.name());
            }
        }
    }

    private static String error(String path, Map<String, ?> config) {
        return assertThrows(IllegalArgumentException.class, () -> Optimizers.create(path, config)).getMessage();
    }

    @Test
    void unknownNamesAreRefusedWithTheClosestOne() {
        assertEquals("optimizer.type must be one of sgd, adam, adamw, rmsprop, adagrad, got 'adma'; did you mean "
                + "'adam'?", error("optimizer", Map.of("type", "adma")));
        assertEquals("optimizer.flavour must be one of tensorflow, pytorch, got 'pytorh'; did you mean 'pytorch'?",
                error("optimizer", Map.of("type", "rmsprop", "flavour", "pytorh")));
        assertEquals("unknown field 'optimizer.monentum'; did you mean 'momentum'?",
                error("optimizer", Map.of("type", "sgd", "monentum", 0.9)));
        // decay belongs to TensorFlow's flavour only
        String decay = error("optimizer", Map.of("type", "rmsprop", "flavour", "pytorch", "decay", 0.9));
        assertTrue(decay.startsWith("unknown field 'optimizer.decay'"), decay);
        assertEquals("optimizer.schedule.type must be one of constant, step, exponential, cosine, got 'cosin'; did "
                + "you mean 'cosine'?", error("optimizer", Map.of("schedule", Map.of("type", "cosin"))));
    }

    @Test
    void rangeErrorsNameTheFieldAtTheSectionsPath() {
        assertEquals("training.outer_optimizer.lr must be > 0, got -1.0",
                error(OUTER, Map.of("type", "sgd", "lr", -1)));
        assertEquals("training.outer_optimizer.nesterov needs training.outer_optimizer.momentum > 0, got 0.0",
                error(OUTER, Map.of("type", "sgd", "nesterov", true)));
        assertEquals("training.outer_optimizer.beta2 must be in [0, 1), got 1.5",
                error(OUTER, Map.of("type", "adamw", "beta2", 1.5)));
        assertEquals("training.outer_optimizer.weight_decay must be >= 0, got -0.1",
                error(OUTER, Map.of("type", "adamw", "weight_decay", -0.1)));
        assertEquals("training.outer_optimizer.alpha must be in [0, 1), got 1.0",
                error(OUTER, Map.of("type", "rmsprop", "flavour", "pytorch", "alpha", 1)));
        assertEquals("training.outer_optimizer.epsilon must be > 0 when training.outer_optimizer.initial_accumulator "
                + "is 0, got 0.0 (a zero gradient would divide 0 by 0)",
                error(OUTER, Map.of("type", "adagrad", "epsilon", 0)));
        assertEquals("training.outer_optimizer.l2 must be >= 0, got -1.0", error(OUTER, Map.of("l2", -1)));
        assertEquals("training.outer_optimizer.clip_norm must be > 0, got 0.0", error(OUTER, Map.of("clip_norm", 0)));
        assertEquals("training.outer_optimizer.clip_value must be > 0, got -2.0",
                error(OUTER, Map.of("clip_value", -2)));
        assertEquals("training.outer_optimizer.schedule.gamma must be > 0, got 0.0",
                error(OUTER, Map.of("schedule", Map.of("type", "step", "step_size", 3, "gamma", 0))));
        assertEquals("training.outer_optimizer.schedule.decay_steps must be >= 1, got 0",
                error(OUTER, Map.of("schedule", Map.of("type", "exponential", "decay_steps", 0, "rate", 0.5))));
        assertEquals("training.outer_optimizer.schedule.alpha must be in [0, 1], got 2.0",
                error(OUTER, Map.of("schedule", Map.of("type", "cosine", "decay_steps", 5, "alpha", 2))));
        assertEquals("training.outer_optimizer.schedule.warmup_start must be in [0, 1], got 2.0",
                error(OUTER, Map.of("schedule", Map.of("warmup_steps", 5, "warmup_start", 2))));
        // built directly, a rule names its fields under the default section
        assertEquals("optimizer.lr must be > 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Sgd.plain(-1)).getMessage());
    }
}
