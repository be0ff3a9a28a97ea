package dev.sparktrain.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A record checks its fields under its own key names; the parser adds the path it read the record from, so the
 * same check names a different field in each place (the outer optimizer is an optimizer under
 * {@code training.outer_optimizer}, a layer is numbered, a per-layer penalty sits under its layer's index).
 */
class NestedSectionErrorsTest {

    private static final String CONFIG = """
            data:
              train_images: a.idx
              train_labels: b.idx
            model:
              input_shape: [4]
              layers:
                - {type: dense, units: 8, activation: relu}
                - {type: dense, units: 3}
              loss: softmax_cross_entropy
              regularization: {l2: 0.001}
            optimizer: {type: adam, lr: 0.01}
            training: {epochs: 2}
            """;

    private static String error(String from, String to) {
        String yaml = CONFIG.replace(from, to);
        return assertThrows(IllegalArgumentException.class,
                () -> RunConfigParser.parse(ConfigTree.parse("test.yaml", yaml))).getMessage();
    }

    @Test
    void theOuterOptimizerIsNamedAtItsOwnPath() {
        assertEquals("training.outer_optimizer.lr must be > 0, got -1.0", error("training: {epochs: 2}",
                "training: {epochs: 2, outer_optimizer: {type: sgd, lr: -1}}"));
        assertEquals("training.outer_optimizer.nesterov needs training.outer_optimizer.momentum > 0, got 0.0",
                error("training: {epochs: 2}", "training: {epochs: 2, outer_optimizer: {type: sgd, nesterov: true}}"));
        assertEquals("training.outer_optimizer.schedule.step_size must be >= 1, got 0", error("training: {epochs: 2}",
                "training: {epochs: 2, outer_optimizer: {type: sgd, schedule: {type: step, step_size: 0}}}"));
        assertEquals("training.outer_optimizer.clip_norm must be > 0, got 0.0", error("training: {epochs: 2}",
                "training: {epochs: 2, outer_optimizer: {clip_norm: 0}}"));
    }

    @Test
    void theOptimizerAndItsScheduleAreNamedAtTheirPath() {
        assertEquals("optimizer.lr must be > 0, got -1.0", error("lr: 0.01", "lr: -1"));
        assertEquals("optimizer.schedule.gamma must be > 0, got 0.0",
                error("lr: 0.01}", "lr: 0.01, schedule: {type: step, step_size: 3, gamma: 0}}"));
        assertEquals("optimizer.schedule.warmup_steps must be >= 0, got -2",
                error("lr: 0.01}", "lr: 0.01, schedule: {warmup_steps: -2}}"));
    }

    @Test
    void layersLossAndRegularizationAreNamedByIndex() {
        assertEquals("model.layers[1]: dense.units must be > 0, got 0", error("units: 3", "units: 0"));
        assertEquals("model.layers[0].activation: leaky_relu.alpha must be a finite number >= 0, got -1.0",
                error("activation: relu", "activation: {type: leaky_relu, alpha: -1}"));
        assertEquals("model.loss: softmax_cross_entropy.label_smoothing must be in [0, 1), got 1.0",
                error("loss: softmax_cross_entropy", "loss: {type: softmax_cross_entropy, label_smoothing: 1}"));
        assertEquals("model.regularization: l2 must be a finite number >= 0, got -1.0",
                error("{l2: 0.001}", "{l2: -1}"));
        assertEquals("model.regularization.layers.1: l2 must be a finite number >= 0, got -1.0",
                error("{l2: 0.001}", "{l2: 0.001, layers: {\"1\": {l2: -1}}}"));
        assertEquals("model.regularization.layers.1: elastic_net.l1_ratio must be in [0, 1], got 2.0",
                error("{l2: 0.001}", "{layers: {\"1\": {elastic_net: {strength: 0.1, l1_ratio: 2}}}}"));
        assertEquals("model.regularization: elastic_net.strength must be a finite number >= 0, got -0.1",
                error("{l2: 0.001}", "{elastic_net: {strength: -0.1, l1_ratio: 0.5}}"));
    }

    @Test
    void earlyStoppingIsNamedAtItsPath() {
        assertEquals("training.early_stopping.patience: expected a whole number in [1, 1000000], got 0", error("training: {epochs: 2}",
                "training: {epochs: 2, early_stopping: {patience: 0}}"));
        assertEquals("training.early_stopping.min_delta must be >= 0, got -1.0", error("training: {epochs: 2}",
                "training: {epochs: 2, early_stopping: {min_delta: -1}}"));
    }
}
