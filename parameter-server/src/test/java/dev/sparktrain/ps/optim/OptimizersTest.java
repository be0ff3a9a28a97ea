package dev.sparktrain.ps.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparktrain.ps.schedule.LinearWarmup;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizersTest {

    private static Optimizers.Configured create(Map<String, ?> config) {
        return Optimizers.create("optimizer", config);
    }

    private static String error(Map<String, ?> config) {
        return assertThrows(IllegalArgumentException.class, () -> create(config)).getMessage();
    }

    @Test
    void defaultsAreAdamAndResolvedIntoTheConfig() {
        Optimizers.Configured c = create(Map.of());
        assertEquals(new Adam(1e-3, 0.9, 0.999, 1e-8), c.optimizer());
        assertEquals(Map.of("type", "adam", "lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "epsilon", 1e-8,
                "epsilon_convention", "pytorch", "amsgrad", false, "weight_decay", 0.0), c.resolved());
    }

    @Test
    void everyTypeAndWrapper() {
        assertEquals(Sgd.nesterov(0.1, 0.9), create(Map.of("type", "sgd", "lr", 0.1, "momentum", 0.9,
                "nesterov", true)).optimizer());
        assertEquals(new Adam(0.01, 0.9, 0.99, 1e-7, EpsilonConvention.TENSORFLOW, true), create(Map.of(
                "lr", 0.01, "beta2", 0.99, "epsilon", 1e-7, "epsilon_convention", "tensorflow", "amsgrad", true))
                .optimizer());
        assertEquals(DecoupledWeightDecay.adamW(0.001, 0.01), create(Map.of("type", "adamw")).optimizer());
        assertEquals(new RmsPropTf(0.001, 0.9, 0.0, 1e-10, false), create(Map.of("type", "rmsprop")).optimizer());
        assertEquals(new RmsPropTorch(0.01, 0.99, 1e-8, 0.9, true), create(Map.of("type", "rmsprop", "flavour",
                "pytorch", "momentum", 0.9, "centered", true)).optimizer());
        assertEquals(Adagrad.defaults(0.01), create(Map.of("type", "adagrad")).optimizer());

        Optimizer wrapped = create(Map.of("type", "sgd", "l2", 1e-4, "clip_norm", 1.0, "clip_value", 5,
                "schedule", Map.of("type", "cosine", "decay_steps", 100, "warmup_steps", 10))).optimizer();
        ClipByValue byValue = assertInstanceOf(ClipByValue.class, wrapped);
        ClipByGlobalNorm byNorm = assertInstanceOf(ClipByGlobalNorm.class, byValue.inner());
        CoupledWeightDecay l2 = assertInstanceOf(CoupledWeightDecay.class, byNorm.inner());
        Scheduled scheduled = assertInstanceOf(Scheduled.class, l2.inner());
        assertInstanceOf(LinearWarmup.class, scheduled.schedule());
        assertEquals(0.01 / 3, scheduled.learningRateAt(0), 1e-15);
        assertEquals(0.01, scheduled.learningRateAt(10), 1e-15);
        assertEquals(0.0, scheduled.learningRateAt(110), 1e-15);
    }

    @Test
    void weightDecayHasPyTorchsNamesAndScale() {
        Sgd sgd = new Sgd(0.1, 0, false);
        assertEquals(new CoupledWeightDecay(sgd, 0.01), create(Map.of("type", "sgd", "lr", 0.1, "weight_decay", 0.01))
                .optimizer());
        // The older name is the same setting.
        assertEquals(new CoupledWeightDecay(sgd, 0.01), create(Map.of("type", "sgd", "lr", 0.1, "l2", 0.01))
                .optimizer());
        assertEquals("optimizer.l2 is the older name of optimizer.weight_decay: give one of them",
                error(Map.of("type", "sgd", "l2", 0.01, "weight_decay", 0.01)));
        assertEquals("optimizer.weight_decay must be >= 0, got -1.0", error(Map.of("weight_decay", -1)));
        // adamw: weight_decay is decoupled, as torch.optim.AdamW's.
        assertEquals(DecoupledWeightDecay.adamW(0.001, 0.05), create(Map.of("type", "adamw", "weight_decay", 0.05))
                .optimizer());

        // weight_decay λ adds λ·θ to the gradient: what regularization.l2 of λ/2 adds (2·(λ/2)·θ), not of λ.
        INDArray theta = Nd4j.createFromArray(0.5, -2.0, 3.0);
        INDArray g = Nd4j.createFromArray(0.1, 0.2, -0.3);
        INDArray coupled = new CoupledWeightDecay(sgd, 0.01).transform(g, theta);
        INDArray penalised = g.dup();
        dev.sparktrain.ops.regularization.Penalty.l2(0.01 / 2).addGradientInPlace(theta, penalised);
        assertEquals(penalised, coupled);
    }

    @Test
    void badValuesNameTheField() {
        assertEquals("optimizer.beta2 must be in [0, 1), got 1.5", error(Map.of("beta2", 1.5)));
        assertEquals("optimizer.lr must be > 0, got -0.1", error(Map.of("type", "sgd", "lr", -0.1)));
        assertEquals("optimizer.l2 must be >= 0, got -1.0", error(Map.of("l2", -1)));
        assertEquals("optimizer.clip_norm must be > 0, got 0.0", error(Map.of("clip_norm", 0)));
        assertEquals("optimizer.epsilon_convention must be one of pytorch, tensorflow, got 'keras'",
                error(Map.of("epsilon_convention", "keras")));
        assertEquals("optimizer.type must be one of sgd, adam, adamw, rmsprop, adagrad, got 'lion'",
                error(Map.of("type", "lion")));
        assertEquals("optimizer.schedule.decay_steps is required",
                error(Map.of("schedule", Map.of("type", "cosine"))));
        assertEquals("optimizer.schedule.decay_steps must be >= 1, got 0",
                error(Map.of("schedule", Map.of("type", "cosine", "decay_steps", 0))));
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() {
        String msg = error(Map.of("beta_2", 0.99));
        assertTrue(msg.startsWith("unknown field 'optimizer.beta_2'"), msg);
        assertTrue(msg.contains("beta2"), msg);
        // alpha belongs to PyTorch's RMSProp, decay to TensorFlow's
        assertTrue(error(Map.of("type", "rmsprop", "alpha", 0.9)).startsWith("unknown field 'optimizer.alpha'"));
        // adam's weight_decay is PyTorch's coupled one (weightDecayHasPyTorchsNamesAndScale); amsgrad is adam's only
        assertTrue(error(Map.of("type", "sgd", "amsgrad", true)).startsWith("unknown field 'optimizer.amsgrad'"));
        assertTrue(error(Map.of("schedule", Map.of("type", "step", "step_size", 3, "gama", 0.5)))
                .startsWith("unknown field 'optimizer.schedule.gama'"));
    }
}
